#include "compare/sequence_diff.hpp"

#include <algorithm>

namespace bbx::compare {

namespace {

void push(EditScript& s, Edit::Kind kind, std::size_t a, std::size_t b, std::size_t n) {
  if (n == 0) return;
  if (!s.edits.empty() && s.edits.back().kind == kind) {
    auto& last = s.edits.back();
    bool follows = kind == Edit::equal    ? last.a + last.n == a && last.b + last.n == b
                   : kind == Edit::remove ? last.a + last.n == a
                                          : last.b + last.n == b;
    if (follows) {
      last.n += n;
      return;
    }
  }
  s.edits.push_back({kind, a, b, n});
}

}  // namespace

EditScript diff_sequences(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b, std::size_t max_edits) {
  EditScript s;
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) ++suf;
  push(s, Edit::equal, 0, 0, pre);
  const std::size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  const std::uint64_t* x = a.data() + pre;
  const std::uint64_t* y = b.data() + pre;

  if (n == 0 || m == 0) {
    push(s, Edit::remove, pre, pre, n);
    push(s, Edit::insert, pre + n, pre, m);
  } else {
    // Myers: v[k] is the furthest x on diagonal k; a trace of v per d to backtrack.
    const std::size_t limit = std::min(n + m, max_edits);
    const std::ptrdiff_t offset = std::ptrdiff_t(limit) + 1;
    std::vector<std::ptrdiff_t> v(2 * std::size_t(offset) + 1, 0);
    // trace[d]: v over diagonals -d..d as iteration d found it (D^2 entries in all).
    std::vector<std::vector<std::ptrdiff_t>> trace;
    std::ptrdiff_t found = -1;
    for (std::ptrdiff_t d = 0; d <= std::ptrdiff_t(limit) && found < 0; ++d) {
      trace.emplace_back(v.begin() + (offset - d), v.begin() + (offset + d + 1));
      for (std::ptrdiff_t k = -d; k <= d; k += 2) {
        std::ptrdiff_t xi;
        if (k == -d || (k != d && v[std::size_t(offset + k - 1)] < v[std::size_t(offset + k + 1)]))
          xi = v[std::size_t(offset + k + 1)];
        else
          xi = v[std::size_t(offset + k - 1)] + 1;
        std::ptrdiff_t yi = xi - k;
        while (xi < std::ptrdiff_t(n) && yi < std::ptrdiff_t(m) && x[xi] == y[yi]) ++xi, ++yi;
        v[std::size_t(offset + k)] = xi;
        if (xi >= std::ptrdiff_t(n) && yi >= std::ptrdiff_t(m)) {
          found = d;
          break;
        }
      }
    }
    if (found < 0) {
      s.aligned = false;
      push(s, Edit::remove, pre, pre, n);
      push(s, Edit::insert, pre + n, pre, m);
    } else {
      // Backtrack from (n, m) through the trace, collecting runs in reverse.
      std::vector<Edit> rev;
      std::ptrdiff_t xi = std::ptrdiff_t(n), yi = std::ptrdiff_t(m);
      for (std::ptrdiff_t d = found; d > 0; --d) {
        const auto& vd = trace[std::size_t(d)];
        auto at = [&](std::ptrdiff_t kk) { return vd[std::size_t(kk + d)]; };
        std::ptrdiff_t k = xi - yi;
        std::ptrdiff_t prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
        std::ptrdiff_t px = at(prev_k);
        std::ptrdiff_t py = px - prev_k;
        std::ptrdiff_t snake_x = prev_k == k + 1 ? px : px + 1;
        std::ptrdiff_t snake_y = snake_x - k;
        if (xi > snake_x) rev.push_back({Edit::equal, pre + std::size_t(snake_x), pre + std::size_t(snake_y), std::size_t(xi - snake_x)});
        if (prev_k == k + 1)
          rev.push_back({Edit::insert, pre + std::size_t(px), pre + std::size_t(py), 1});
        else
          rev.push_back({Edit::remove, pre + std::size_t(px), pre + std::size_t(py), 1});
        xi = px;
        yi = py;
      }
      if (xi > 0) rev.push_back({Edit::equal, pre, pre, std::size_t(xi)});
      for (auto it = rev.rbegin(); it != rev.rend(); ++it) push(s, it->kind, it->a, it->b, it->n);
    }
  }
  push(s, Edit::equal, pre + n, pre + m, suf);
  return s;
}

}  // namespace bbx::compare
