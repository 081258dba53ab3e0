// Overloaded{f, g, ...}: one callable made of several lambdas, for std::visit over a
// variant. Write one lambda per alternative and no generic (auto) one: then an alternative
// nobody handles is a compile error, which is the point.
#pragma once

namespace bbx::util {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace bbx::util
