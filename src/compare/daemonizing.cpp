#include "compare/daemonizing.hpp"

#include "journal/event_types.hpp"

namespace bbx::compare {

void learn_daemonizing(const Event& e, std::map<std::string, Daemonizing>& out) {
  if (!journal::ev::subject_daemonized.is(e.type)) return;
  auto integer = [&](const char* key) {
    auto it = e.body.find(key);
    return it != e.body.end() && it->is_number() ? static_cast<long long>(it->get<double>()) : 0LL;
  };
  auto from = integer("from");
  auto pid = integer("pid");
  auto& d = out[e.source.name];
  d.link[from] = pid;
  d.targets.insert(pid);
}

}  // namespace bbx::compare
