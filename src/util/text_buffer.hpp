// A growable byte buffer for hot text writers (the journal serializes every event line
// into one): an append is one inline capacity check and a copy, where
// std::string's append is an out-of-line call per piece. Not thread-safe; owns its bytes.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace bbx::util {

class TextBuffer {
 public:
  // n bytes at the end, to be filled by the caller (already counted in size()).
  char* grow(std::size_t n) {
    if (capacity_ - size_ < n) reserve_more(n);
    char* at = data_.get() + size_;
    size_ += n;
    return at;
  }
  // Gives back the last n bytes of a grow() that used fewer.
  void shrink_by(std::size_t n) { size_ -= n; }

  void append(const char* bytes, std::size_t n) {
    if (n) std::memcpy(grow(n), bytes, n);
  }
  void append(std::string_view s) { append(s.data(), s.size()); }
  void push_back(char c) { *grow(1) = c; }
  template <std::size_t N>
  void literal(const char (&text)[N]) {  // a string literal, without its terminator
    append(text, N - 1);
  }

  std::string_view view() const { return {data_.get(), size_}; }
  const char* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  void clear() { size_ = 0; }
  // Frees the storage (clear() keeps it).
  void release() {
    data_.reset();
    size_ = capacity_ = 0;
  }

 private:
  void reserve_more(std::size_t n) {
    std::size_t capacity = capacity_ ? capacity_ * 2 : 4096;
    while (capacity - size_ < n) capacity *= 2;
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace bbx::util
