#include "report/attempts_folded.hpp"

#include "report/merge.hpp"

namespace bbx::report {

RunSummary fold_attempts(const RunSummary& summary) { return merge_runs({summary}); }

void AttemptsFolded::run_done(const RunSummary& summary) { inner_->run_done(fold_attempts(summary)); }

}  // namespace bbx::report
