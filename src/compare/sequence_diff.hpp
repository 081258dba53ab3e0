// The shortest edit script between two sequences of hashes (Myers' O((N+M)D) algorithm,
// after stripping the common prefix and suffix), bounded: past max_edits differences it
// stops aligning and reports the rest as one replaced block, so a diff of two unrelated
// million-item lanes stays linear instead of quadratic. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bbx::compare {

struct Edit {
  enum Kind { equal, remove, insert } kind = equal;
  std::size_t a = 0, b = 0;  // positions in a and b where the run starts
  std::size_t n = 0;         // its length
};

struct EditScript {
  std::vector<Edit> edits;   // runs in order; consecutive runs of one kind are merged
  bool aligned = true;       // false: more than max_edits differences, the middle is one block
};

EditScript diff_sequences(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b,
                          std::size_t max_edits = 1000);

}  // namespace bbx::compare
