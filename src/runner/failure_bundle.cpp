#include "runner/failure_bundle.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "probes/process_snapshot.hpp"
#include "process/thread_stacks.hpp"

namespace bbx::runner {

namespace fs = std::filesystem;

struct FailureBundle::Doc {
  nlohmann::json json;
  std::string stacks_text;
};

namespace {

constexpr const char* kSnapshotFile = "failure/snapshot.json";
constexpr const char* kStacksFile = "failure/stacks.txt";

// Writes to a temporary then renames, so a reader never sees half a file; "" or the error.
std::string write_file(const fs::path& path, const std::string& content) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) return "cannot write " + tmp.string();
  }
  fs::rename(tmp, path, ec);
  return ec ? "cannot write " + path.string() + ": " + ec.message() : "";
}

nlohmann::json process_json(const probes::ProcessDetail& d) {
  nlohmann::json fds = nlohmann::json::array();
  for (const auto& [fd, target] : d.fds) fds.push_back({{"fd", fd}, {"target", target}});
  return {{"pid", d.pid},
          {"ppid", d.ppid},
          {"comm", d.comm},
          {"state", std::string(1, d.state)},
          {"cmdline", d.cmdline},
          {"wchan", d.wchan},
          {"threads", d.threads},
          {"fds", fds},
          {"fds_total", d.fds_total},
          {"listening", d.listening}};
}

std::vector<pid_t> sorted(std::vector<pid_t> pids) {
  std::sort(pids.begin(), pids.end());
  return pids;
}

}  // namespace

FailureBundle::FailureBundle(runtime::RunContext& ctx, const process::Supervisor& supervisor)
    : ctx_(ctx), supervisor_(supervisor), doc_(std::make_shared<Doc>()) {}

void FailureBundle::snapshot(const std::string& why) {
  if (snapshotted_) return;
  snapshotted_ = true;
  why_ = why;
  auto& j = doc_->json;
  j = {{"format", "bbx-failure-snapshot"}, {"version", 1}, {"reason", why}, {"subjects", nlohmann::json::object()}};
  std::size_t processes = 0;
  for (const auto& subject : ctx_.scenario().subjects) {
    const auto* state = supervisor_.state(subject.name);
    if (!state) continue;  // never started
    nlohmann::json list = nlohmann::json::array();
    for (const auto& d : probes::snapshot_processes(sorted(supervisor_.tree_of(subject.name)))) list.push_back(process_json(d));
    processes += list.size();
    j["subjects"][subject.name] = {{"main_pid", state->pid}, {"running", !state->exit.has_value()}, {"processes", list}};
  }
  auto error = write_file(ctx_.scenario_dir() / kSnapshotFile, j.dump(2) + "\n");
  nlohmann::json body = {{"reason", why}, {"file", kSnapshotFile}, {"processes", processes}};
  if (!error.empty()) body["error"] = error;
  ctx_.journal().append({"scenario", ctx_.scenario().id, 0}, journal::ev::failure_snapshot, std::move(body));
}

void FailureBundle::hung(const std::vector<std::string>& subjects, const std::string& why) {
  snapshot(why);
  for (const auto& name : subjects) {
    if (!stacked_.insert(name).second) continue;
    auto pids = sorted(supervisor_.tree_of(name));
    if (pids.empty()) continue;
    auto started = std::chrono::steady_clock::now();
    auto captured = process::capture_stacks(pids);
    auto capture_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    std::size_t threads = 0;
    std::int64_t frozen_max_us = 0;
    std::vector<std::string> tools, errors;
    auto& procs = doc_->json["subjects"][name]["processes"];
    if (!procs.is_array()) procs = nlohmann::json::array();
    for (const auto& p : captured) {
      threads += p.threads.size();
      frozen_max_us = std::max<std::int64_t>(frozen_max_us, p.frozen.count());
      if (!p.tool.empty() && std::find(tools.begin(), tools.end(), p.tool) == tools.end()) tools.push_back(p.tool);
      if (!p.error.empty()) errors.push_back("pid " + std::to_string(p.pid) + ": " + p.error);
      nlohmann::json groups = nlohmann::json::array();
      for (const auto& g : process::group_stacks(p.threads)) groups.push_back({{"tids", g.tids}, {"frames", g.frames}});
      nlohmann::json stacks = {{"tool", p.tool}, {"frozen_ms", static_cast<double>(p.frozen.count()) / 1000.0},
                               {"groups", groups}, {"error", p.error}};
      auto it = std::find_if(procs.begin(), procs.end(), [&](const nlohmann::json& e) { return e.value("pid", 0) == p.pid; });
      if (it != procs.end()) (*it)["stacks"] = std::move(stacks);
      else procs.push_back({{"pid", p.pid}, {"comm", p.comm}, {"stacks", std::move(stacks)}});
    }
    doc_->stacks_text += "== subject '" + name + "': " + why + "\n" + process::format_stacks(captured) + "\n";
    std::string error = write_file(ctx_.scenario_dir() / kStacksFile, doc_->stacks_text);
    if (auto e = write_file(ctx_.scenario_dir() / kSnapshotFile, doc_->json.dump(2) + "\n"); error.empty()) error = e;
    if (!error.empty()) errors.push_back(error);
    const auto* state = supervisor_.state(name);
    nlohmann::json body = {{"reason", why},
                           {"file", kStacksFile},
                           {"processes", captured.size()},
                           {"threads", threads},
                           {"frozen_ms_max", static_cast<double>(frozen_max_us) / 1000.0},
                           {"capture_ms", static_cast<double>(capture_us.count()) / 1000.0},
                           {"tools", tools}};
    if (!errors.empty()) body["errors"] = errors;
    ctx_.journal().append({"subject", name, state ? state->pid : 0}, journal::ev::failure_stacks, std::move(body));
  }
}

}  // namespace bbx::runner
