#include "scenario/parse_readiness.hpp"
#include "scenario/sections.hpp"
#include "scenario/choices.hpp"
#include "scenario/yaml_reader.hpp"

#include "util/signals.hpp"
#include "util/units.hpp"

namespace bbx::scenario {

int parse_signal(const MapReader& map, std::string_view key, int fallback) {
  auto text = map.string(key);
  if (!text) return fallback;
  auto sig = util::signal_from_name(*text);
  if (!sig)
    fail_input(map.where(key), map.what() + "." + std::string(key) + ": unknown signal '" + *text +
                                   "' (use a name like TERM, HUP, KILL or a number)");
  return *sig;
}


namespace {

std::vector<model::Template> parse_command(const MapReader& m, const std::string& what) {
  if (!m.has("command")) fail_input(m.where(), what + ": missing 'command' (an argv list) or 'shell' (a /bin/sh command line)");
  YAML::Node c = m.node("command");
  if (!c.IsSequence() || c.size() == 0)
    fail_input(m.where("command"), what + ".command: expected a non-empty list (argv), e.g. [bbx-fixture, --listen, \"8080\"]");
  std::vector<model::Template> argv;
  for (const auto& a : c) argv.push_back(scalar_template(a, m.path(), what + ".command"));
  return argv;
}

void parse_spawn_limits(const MapReader& m, model::Subject& s, const std::string& what) {
  if (auto mask = m.string("umask")) {
    std::size_t used = 0;
    int value = -1;
    try { value = std::stoi(*mask, &used, 8); } catch (...) { value = -1; }
    if (value < 0 || value > 0777 || used != mask->size())
      fail_input(m.where("umask"), what + ".umask: expected an octal mask like \"027\", got '" + *mask + "'");
    s.umask = value;
  }
  if (!m.has("rlimits")) return;
  MapReader limits(m.node("rlimits"), m.path(), what + ".rlimits", {"nofile", "core", "nproc", "as", "fsize", "cpu", "stack"});
  for (const char* name : {"nofile", "core", "nproc", "as", "fsize", "cpu", "stack"}) {
    if (!limits.has(name)) continue;
    auto text = limits.string(name);
    if (text == "unlimited") s.rlimits[name] = -1;
    else s.rlimits[name] = *limits.integer(name, 0, INT64_MAX);
  }
}

model::Subject parse_subject(const std::string& name, const YAML::Node& node, const std::string& path) {
  std::string what = "subject '" + name + "'";
  MapReader m(node, path, what, {"command", "shell", "env", "ready", "stop", "after", "stdin", "umask", "rlimits", "run", "logs",
                                    "sample", "tty"});
  model::Subject s;
  s.name = name;
  s.where = m.where();
  if (m.has("shell") && m.has("command"))
    fail_input(m.where("shell"), what + ": give either 'command' (argv, no shell) or 'shell', not both");
  if (m.has("shell")) s.shell = m.text_template("shell");
  else s.command = parse_command(m, what);
  s.stdin_file = m.text_template("stdin");
  s.tty = m.boolean("tty").value_or(false);
  parse_spawn_limits(m, s, what);
  if (m.has("env")) {
    YAML::Node env = m.node("env");
    if (!env.IsMap()) fail_input(m.where("env"), what + ".env: expected a mapping of NAME: value");
    for (const auto& kv : env)
      s.env[key_text(kv.first, path)] = scalar_template(kv.second, path, what + ".env");
  }
  if (m.has("ready")) s.ready = parse_readiness(m.node("ready"), path, what + ".ready");
  if (m.has("stop")) {
    MapReader stop(m.node("stop"), path, what + ".stop", {"signal", "grace", "mode"});
    s.stop.signal = parse_signal(stop, "signal", s.stop.signal);
    if (stop.has("mode"))
      s.stop.mode = parse_choice<model::StopPolicy::Mode>(
          stop, "mode", {{"group", model::StopPolicy::Mode::group}, {"mixed", model::StopPolicy::Mode::mixed}});
    if (auto g = stop.duration("grace")) s.stop.grace = *g;
  }
  s.after = m.string_list("after");
  if (auto run = m.string("run")) {
    if (*run != "once" && *run != "service")
      fail_input(m.where("run"), what + ".run: expected 'service' (default: must keep running) or 'once' (meant to exit), got '" + *run + "'");
    s.run_once = *run == "once";
  }
  if (auto sample = m.string("sample")) {
    auto d = *sample == "off" ? std::optional<model::Duration>(model::Duration(0)) : util::parse_duration(*sample);
    if (!d || (d->count() != 0 && *d < std::chrono::milliseconds(10)))
      fail_input(m.where("sample"), what + ".sample: expected a resource sampling interval of at least 10ms "
                                           "(e.g. 50ms) or 'off', got '" + *sample + "'");
    s.sample = *d;
  }
  if (m.has("logs")) {
    YAML::Node logs = m.node("logs");
    if (logs.IsSequence()) for (const auto& l : logs) s.logs.push_back(scalar_template(l, path, what + ".logs"));
    else s.logs.push_back(scalar_template(logs, path, what + ".logs"));
  }
  return s;
}

}  // namespace

std::vector<model::Subject> parse_subjects(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) fail_input(location_of(node, path), "subjects: expected a mapping of name to subject");
  std::vector<model::Subject> out;
  for (const auto& kv : node) out.push_back(parse_subject(key_text(kv.first, path), kv.second, path));
  return out;
}

}  // namespace bbx::scenario
