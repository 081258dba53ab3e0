// Overloaded{lambdas...}: one callable from several lambdas, for exhaustive std::visit over
// the model's variants (a missing alternative does not compile).
#pragma once

namespace bbx::util {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace bbx::util
