#include "compare/roles.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "compare/alias_token.hpp"

namespace bbx::compare {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

long long integer_of(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_number_integer()) return 0;
  return it->get<long long>();
}

std::string string_of(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// "pid" (any case) just before position i, past at most two of " =:#".
bool after_pid_word(std::string_view text, std::size_t i) {
  std::size_t j = i, skipped = 0;
  while (j > 0 && skipped < 2 && (text[j - 1] == ' ' || text[j - 1] == '=' || text[j - 1] == ':' || text[j - 1] == '#'))
    --j, ++skipped;
  if (j < 3) return false;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c | 0x20) : c; };
  return lower(text[j - 3]) == 'p' && lower(text[j - 2]) == 'i' && lower(text[j - 1]) == 'd';
}

}  // namespace

Roles Roles::learn(const journal::EventLog& log, const std::function<void(const Event&)>& also) {
  using journal::ev;
  Roles roles;
  std::map<std::string, std::set<long long>> subject_pids, supervisor_pids;
  std::set<long long> command_pids;
  std::vector<std::pair<int, std::string>> ports;  // in journal order
  log.for_each_of({ev::scenario_begin, ev::port_allocate, ev::fake_listen, ev::statsd_receiver, ev::tcp_server,
                   ev::socket_listen, ev::process_spawn, ev::subject_daemonized, ev::process_exit, ev::command_start},
                  1, [&](const Event& e) {
                    if (also) also(e);
                    const auto& b = e.body;
                    if (ev::scenario_begin.is(e.type)) {
                      std::filesystem::path sandbox = string_of(b, "sandbox");
                      if (!sandbox.empty()) {
                        roles.add_path(sandbox.string(), "[SANDBOX]");
                        auto scenario_dir = sandbox.parent_path();
                        roles.add_path(scenario_dir.string(), "[SCENARIO_DIR]");
                        auto run_dir = scenario_dir.parent_path();
                        if (!run_dir.empty() && run_dir != run_dir.root_path()) {
                          roles.add_path(run_dir.string(), "[RUN_DIR]");
                          if (run_dir.filename().string().size() >= 8) roles.add_path(run_dir.filename().string(), "[RUN_ID]");
                        }
                      }
                      roles.set_host_name(string_of(b, "hostname"));
                    } else if (ev::port_allocate.is(e.type)) {
                      ports.emplace_back(int(integer_of(b, "port")), string_of(b, "name"));
                    } else if (ev::fake_listen.is(e.type) || ev::statsd_receiver.is(e.type) || ev::tcp_server.is(e.type) ||
                               ev::socket_listen.is(e.type)) {
                      ports.emplace_back(int(integer_of(b, "port")), e.source.name);
                    } else if (ev::command_start.is(e.type)) {
                      if (e.source.pid > 0) command_pids.insert(e.source.pid);
                    } else if (e.source.kind == "subject" && e.source.name != "unknown") {
                      auto& pids = subject_pids[e.source.name];
                      if (e.source.pid > 0) pids.insert(e.source.pid);
                      if (ev::process_spawn.is(e.type)) {
                        if (auto s = integer_of(b, "supervisor_pid"); s > 0) supervisor_pids[e.source.name].insert(s);
                        if (auto cwd = string_of(b, "cwd"); !cwd.empty()) roles.add_path(cwd, "[SANDBOX]");
                      }
                      if (ev::subject_daemonized.is(e.type))
                        for (const char* k : {"from", "pid"})
                          if (auto p = integer_of(b, k); p > 0) pids.insert(p);
                    }
                    return true;
                  });
  for (const auto& [port, name] : ports)
    if (port > 0) roles.add_port(port, name);
  auto number = [](const std::set<long long>& pids, const std::string& name, Roles& r) {
    std::size_t k = 0;
    for (auto pid : pids) r.add_pid(int(pid), ++k == 1 ? "[PID:" + name + "]" : "[PID:" + name + "#" + std::to_string(k) + "]");
  };
  for (const auto& [name, pids] : subject_pids) number(pids, name, roles);
  for (const auto& [name, pids] : supervisor_pids) number(pids, name + "/supervisor", roles);
  number(command_pids, "command", roles);
  return roles;
}

void Roles::add_path(std::string path, std::string role) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path.size() < 2) return;
  for (const auto& [p, r] : paths_)
    if (p == path) return;
  may_start(path[0]);
  add_needle(path);
  paths_.emplace_back(std::move(path), std::move(role));
  std::stable_sort(paths_.begin(), paths_.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

void Roles::add_port(int port, std::string name) {
  if (ports_.count(port)) return;
  for (char d = '0'; d <= '9'; ++d) may_start(d);
  if (port >= 1024) add_needle(std::to_string(port));  // lower ones are not replaced in text (apply)
  std::string role = "[PORT:" + name + "]";
  for (int k = 2; std::any_of(ports_.begin(), ports_.end(), [&](const auto& p) { return p.second == role; }); ++k)
    role = "[PORT:" + name + "#" + std::to_string(k) + "]";
  ports_.emplace(port, std::move(role));
}

void Roles::add_pid(int pid, std::string role) {
  pids_.emplace(pid, std::move(role));
  for (char d = '0'; d <= '9'; ++d) may_start(d);
  for (char p : {'p', 'P'})
    for (char i : {'i', 'I'}) may_start_pair(p, i);
}

void Roles::set_host_name(std::string name) {
  if (name.size() < 3 || name == "localhost") return;
  host_ = std::move(name);
  may_start(host_[0]);
  add_needle(host_);
}

void Roles::add_needle(std::string value) {
  may_start_pair(value[0], value[1]);
  needles_.push_back(std::move(value));
}

bool Roles::replaces_at(std::string_view text, std::size_t i) const {
  for (const auto& n : needles_)
    if (text.size() - i >= n.size() && text.compare(i, n.size(), n) == 0) return true;
  auto lower = [](char c) { return char(c | 0x20); };
  return !pids_.empty() && i + 2 < text.size() && lower(text[i]) == 'p' && lower(text[i + 1]) == 'i' && lower(text[i + 2]) == 'd';
}

std::optional<std::string> Roles::pid_role(long long pid) const {
  auto it = pids_.find(pid);
  if (it == pids_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Roles::port_role(long long port) const {
  auto it = ports_.find(port);
  if (it == ports_.end()) return std::nullopt;
  return it->second;
}

void Roles::apply(std::string_view text, std::string& out) const {
  const bool numbers = !pids_.empty() || !ports_.empty();
  std::size_t i = 0;
  // Text from `kept` to i is unchanged so far: appended in one piece when a value is replaced
  // or the text ends, not character by character.
  std::size_t kept = 0;
  auto replace = [&](std::size_t end, std::string_view token) {
    out.append(text.substr(kept, i - kept));
    out += token;
    i = kept = end;
  };
  // Where the last token (written or passed over) ends: the values replaced end in a word
  // character, so what follows a token does not stand on its own, as it did not before the
  // value was replaced; nor does what a token follows (idempotence).
  std::size_t after_token = std::string_view::npos;
  auto word_before = [&](std::size_t at) { return at == after_token || (at > 0 && is_word(text[at - 1])); };
  auto word_after = [&](std::size_t at) { return at < text.size() && (is_word(text[at]) || alias_token_at(text, at)); };
  while (i < text.size()) {
    char c = text[i];
    if (!starts_[static_cast<unsigned char>(c)] && c != '[') {  // a run that starts nothing
      ++i;
      while (i < text.size() && !starts_[static_cast<unsigned char>(text[i])] && text[i] != '[') ++i;
      continue;
    }
    if (c == '[') {
      if (auto n = alias_token_at(text, i)) {
        i += n;
        after_token = i;
        continue;
      }
    }
    bool matched = false;
    for (const auto& [value, role] : paths_) {
      if (c == value[0] && text.size() - i >= value.size() && text[i + 1] == value[1] && text.compare(i, value.size(), value) == 0) {
        replace(i + value.size(), role);
        after_token = i;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (!host_.empty() && c == host_[0] && text.compare(i, host_.size(), host_) == 0 && !word_before(i) &&
        !word_after(i + host_.size())) {
      replace(i + host_.size(), "[HOSTNAME]");
      after_token = i;
      continue;
    }
    if (numbers && is_digit(c) && !word_before(i) && (i == 0 || text[i - 1] != '.')) {
      std::size_t j = i;
      while (j < text.size() && is_digit(text[j]) && j - i < 19) ++j;
      bool whole = !word_after(j) && !(j < text.size() && text[j] == '.' && j + 1 < text.size() && is_digit(text[j + 1]));
      if (whole && j - i <= 7) {
        long long v = 0;
        for (std::size_t k = i; k < j; ++k) v = v * 10 + (text[k] - '0');
        // The cheap tests first: most numbers in text are neither (sizes, statuses, ids).
        if (auto port = v >= 1024 ? ports_.find(v) : ports_.end(); port != ports_.end()) {
          replace(j, port->second);
          after_token = j;
          continue;
        }
        if (auto pid = after_pid_word(text, i) ? pids_.find(v) : pids_.end(); pid != pids_.end()) {
          replace(j, pid->second);
          after_token = j;
          continue;
        }
      }
      i = j;
      continue;
    }
    ++i;
  }
  out.append(text.substr(kept));
}

}  // namespace bbx::compare
