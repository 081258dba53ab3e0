#include "compare/daemonizing.hpp"

#include "journal/event_types.hpp"

namespace bbx::compare {

std::map<std::string, Daemonizing> learn_daemonizing(const journal::EventLog& log) {
  std::map<std::string, Daemonizing> out;
  log.for_each_of({journal::ev::subject_daemonized}, 1, [&](const Event& e) {
    auto integer = [&](const char* key) {
      auto it = e.body.find(key);
      return it != e.body.end() && it->is_number() ? static_cast<long long>(it->get<double>()) : 0LL;
    };
    auto from = integer("from");
    auto pid = integer("pid");
    auto& d = out[e.source.name];
    d.link[from] = pid;
    d.targets.insert(pid);
    return true;
  });
  return out;
}

}  // namespace bbx::compare
