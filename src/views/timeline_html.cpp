#include "views/timeline_html.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "bbx/error.hpp"
#include "journal/event_types.hpp"
#include "report/event_text.hpp"
#include "util/html_escape.hpp"
#include "util/json_text.hpp"
#include "util/text_buffer.hpp"
#include "views/resource_rates.hpp"

namespace bbx::views {

namespace {

namespace fs = std::filesystem;
using journal::ev;
using journal::EventRef;

constexpr std::size_t kSummaryChars = 300;

// A JSON string safe inside <script>: '<' written as \u003c, so no "</script>" can end it.
void script_string(util::TextBuffer& out, std::string_view s, util::TextBuffer& scratch) {
  scratch.clear();
  util::append_json_string(scratch, s);
  auto text = scratch.view();
  std::size_t from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '<') continue;
    out.append(text.substr(from, i - from));
    out.literal("\\u003c");
    from = i + 1;
  }
  out.append(text.substr(from));
}

// A block of the page written while the rows are (the tooltips' details, the resource
// samples), waiting in a file of its own beside the page until the page's end copies it in.
class Spill {
 public:
  ~Spill() { discard(); }

  void open(fs::path path, std::string_view opening) {
    path_ = std::move(path);
    file_ = std::fopen(path_.c_str(), "w+b");
    if (!file_) fail_harness("cannot write " + path_.string() + ": " + std::strerror(errno));
    buf.clear();
    buf.append(opening);
    empty_ = true;
  }
  // Before each item: the separator after the previous one.
  void next_item() {
    if (!empty_) buf.literal(",\n");
    empty_ = false;
    if (buf.size() >= (1 << 20)) flush();
  }
  // Appends `closing`, copies the whole block to `out` (named `out_path` in errors), removes the file.
  void copy_to(std::FILE* out, const fs::path& out_path, std::string_view closing) {
    buf.append(closing);
    flush();
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0)
      fail_harness("cannot read " + path_.string() + ": " + std::strerror(errno));
    std::vector<char> chunk(1 << 20);
    for (;;) {
      auto n = std::fread(chunk.data(), 1, chunk.size(), file_);
      if (n > 0 && std::fwrite(chunk.data(), 1, n, out) != n)
        fail_harness("cannot write " + out_path.string() + ": " + std::strerror(errno));
      if (n < chunk.size()) break;
    }
    if (std::ferror(file_)) fail_harness("cannot read " + path_.string() + ": " + std::strerror(errno));
    discard();
  }

  util::TextBuffer buf;

 private:
  void flush() {
    if (buf.size() == 0) return;
    if (std::fwrite(buf.view().data(), 1, buf.size(), file_) != buf.size())
      fail_harness("cannot write " + path_.string() + ": " + std::strerror(errno));
    buf.clear();
  }
  void discard() {
    if (!file_) return;
    std::fclose(file_);
    file_ = nullptr;
    std::error_code ec;
    fs::remove(path_, ec);
  }

  fs::path path_;
  std::FILE* file_ = nullptr;
  bool empty_ = true;
};

struct Lane {
  std::string name;   // shown
  std::string group;  // bbx, subject, fake
  std::string owner;  // the participant of the sequence view: subject or fake name, "bbx"
};

class HtmlWriter {
 public:
  HtmlWriter(const fs::path& path, std::string title, const HtmlOptions& options)
      : first_(path), title_(std::move(title)), options_(options) {}

  ~HtmlWriter() {
    std::error_code ec;
    if (file_) {
      std::fclose(file_);
      fs::remove(tmp_, ec);
    }
  }

  HtmlResult run(const journal::EventLog& log) {
    total_ = log.size();
    const auto per = std::max<std::uint64_t>(options_.page_events, 1);
    pages_ = total_ == 0 ? 1 : (total_ + per - 1) / per;
    remove_stale_pages();
    open_page(0);
    log.for_each_ref_of({}, 1, [&](const EventRef& e) {
      if (e.seq > (page_ + 1) * per && page_ + 1 < pages_) {
        close_page();
        open_page(page_ + 1);
      }
      row(e);
      if (buf_.size() >= (1 << 20)) flush();
      return true;
    });
    close_page();
    result_.events = total_;
    return std::move(result_);
  }

 private:
  fs::path page_path(std::uint64_t index) const {
    if (index == 0) return first_;
    return first_.parent_path() / (first_.stem().string() + "-" + std::to_string(index + 1) + first_.extension().string());
  }

  void remove_stale_pages() {
    std::error_code ec;
    for (std::uint64_t i = pages_;; ++i) {
      auto p = page_path(i);
      if (i == 0) continue;
      if (!fs::exists(p, ec)) break;
      fs::remove(p, ec);
    }
  }

  void open_page(std::uint64_t index) {
    page_ = index;
    auto path = page_path(index);
    tmp_ = path;
    tmp_ += ".tmp";
    file_ = std::fopen(tmp_.c_str(), "wb");
    if (!file_) fail_harness("cannot write " + tmp_.string() + ": " + std::strerror(errno));
    // The page's resource samples and details wait in files of their own: they follow the
    // rows and the meta.
    auto spill_path = [&](const char* suffix) {
      auto p = path;
      p += suffix;
      return p;
    };
    details_.open(spill_path(".details.tmp"), "<script id=\"bbx-detail\" type=\"application/json\">[\n");
    resources_.open(spill_path(".resources.tmp"), "<script id=\"bbx-resources\" type=\"application/json\">[\n");
    result_.pages.push_back(path);
    lanes_.clear();
    lane_index_.clear();
    types_.clear();
    type_index_.clear();
    sampled_.clear();
    sampled_index_.clear();
    first_row_ = true;
    std::string head = kTimelinePageHead;
    const auto title = util::html_escape(title_);
    for (auto at = head.find("@TITLE@"); at != std::string::npos; at = head.find("@TITLE@", at + title.size()))
      head.replace(at, 7, title);
    buf_.append(head);
    buf_.literal("<script id=\"bbx-data\" type=\"application/json\">[\n");
  }

  void close_page() {
    buf_.literal("\n]</script>\n<script id=\"bbx-meta\" type=\"application/json\">");
    nlohmann::json meta;
    meta["title"] = title_;
    meta["page"] = page_ + 1;
    meta["total"] = total_;
    const auto per = std::max<std::uint64_t>(options_.page_events, 1);
    meta["pages"] = nlohmann::json::array();
    for (std::uint64_t i = 0; i < pages_; ++i)
      meta["pages"].push_back({{"file", page_path(i).filename().string()},
                               {"first", i * per + 1},
                               {"last", std::min(total_, (i + 1) * per)}});
    meta["lanes"] = nlohmann::json::array();
    for (const auto& l : lanes_) meta["lanes"].push_back({{"name", l.name}, {"group", l.group}, {"owner", l.owner}});
    meta["types"] = types_;
    meta["sampled"] = sampled_;
    meta["detail_bytes"] = options_.detail_bytes;
    script_string_raw(meta.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    buf_.literal("</script>\n");
    flush();
    resources_.copy_to(file_, tmp_, "\n]</script>\n");
    buf_.append(std::string_view(kTimelinePageTail));
    buf_.append(std::string_view(kTimelinePlots));
    buf_.append(std::string_view(kTimelinePageEnd));
    flush();
    details_.copy_to(file_, tmp_, "\n]</script>\n</body></html>\n");
    bool ok = std::fflush(file_) == 0;
    ok = std::fclose(file_) == 0 && ok;
    file_ = nullptr;
    if (!ok) fail_harness("cannot write " + tmp_.string() + ": " + std::strerror(errno));
    std::error_code ec;
    fs::rename(tmp_, result_.pages.back(), ec);
    if (ec) fail_harness("cannot rename " + tmp_.string() + ": " + ec.message());
  }

  // A JSON document (already valid) with '<' escaped for <script>.
  void script_string_raw(const std::string& json) {
    std::size_t from = 0;
    for (std::size_t i = 0; i < json.size(); ++i) {
      if (json[i] != '<') continue;
      buf_.append(std::string_view(json).substr(from, i - from));
      buf_.literal("\\u003c");
      from = i + 1;
    }
    buf_.append(std::string_view(json).substr(from));
  }

  void flush() {
    if (buf_.size() == 0) return;
    if (std::fwrite(buf_.view().data(), 1, buf_.size(), file_) != buf_.size())
      fail_harness("cannot write " + tmp_.string() + ": " + std::strerror(errno));
    buf_.clear();
  }

  int lane_of(const EventRef& e) {
    Lane lane;
    const auto& k = e.source.kind;
    if (k == "step") lane = {"steps", "bbx", "bbx"};
    else if (k == "subject") lane = {report::source_label(e), "subject", std::string(e.source.name)};
    else if (k == "fake") lane = {"fake:" + std::string(e.source.name), "fake", std::string(e.source.name)};
    else lane = {report::source_label(e), "bbx", "bbx"};
    if (k == "assert") lane.name = "assertions";
    auto it = lane_index_.find(lane.name);
    if (it != lane_index_.end()) return it->second;
    lanes_.push_back(lane);
    return lane_index_[lane.name] = int(lanes_.size() - 1);
  }

  int type_of(std::string_view type) {
    auto it = type_index_.find(type);
    if (it != type_index_.end()) return it->second;
    types_.emplace_back(type);
    return type_index_[std::string(type)] = int(types_.size() - 1);
  }

  std::string detail(const EventRef& e) {
    std::string body = e.body.json();
    std::string out = std::string(e.wall) + "  " + std::string(e.source.kind) + " " + std::string(e.source.name) +
                      (e.source.pid ? "  pid " + std::to_string(e.source.pid) : "") + "\n";
    if (body.size() > options_.detail_bytes) {
      std::size_t cut = options_.detail_bytes;
      while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
      out += body.substr(0, cut) + " … (" + std::to_string(body.size() - cut) +
             " more bytes: the whole event is line " + std::to_string(e.seq) + " of events.jsonl)";
    } else {
      out += body;
    }
    return out;
  }

  // [t_us, seq, lane, type, flags (1 failed assertion, 2 mark, 4 the scenario's failed end), summary, from,
  //  links (an assertion's evidence, a response's request)]; the detail goes to the details.
  void row(const EventRef& e) {
    if (!first_row_) buf_.literal(",\n");
    first_row_ = false;
    int flags = 0;
    if (ev::assert_fail.is(e.type)) flags |= 1;
    if (ev::mark.is(e.type)) flags |= 2;
    if (ev::scenario_end.is(e.type) && e.body.str("verdict", "passed") != "passed") flags |= 4;
    buf_.push_back('[');
    util::append_json_number(buf_, std::int64_t(e.t_ns / 1000));
    buf_.push_back(',');
    util::append_json_number(buf_, e.seq);
    buf_.push_back(',');
    util::append_json_number(buf_, std::int64_t(lane_of(e)));
    buf_.push_back(',');
    util::append_json_number(buf_, std::int64_t(type_of(e.type)));
    buf_.push_back(',');
    util::append_json_number(buf_, std::int64_t(flags));
    buf_.push_back(',');
    script_string(buf_, report::event_summary(e, kSummaryChars), scratch_);
    buf_.push_back(',');
    details_.next_item();
    script_string(details_.buf, detail(e), scratch_);
    std::string from;
    if (ev::http_request.is(e.type))
      if (auto f = e.body.object("from")) from = f->str("kind") == "subject" ? f->str("name") : f->str("kind");
    script_string(buf_, from, scratch_);
    buf_.push_back(',');
    buf_.push_back('[');
    if (ev::http_response.is(e.type)) {
      util::append_json_number(buf_, static_cast<std::uint64_t>(e.body.num("request_seq")));
    } else if (e.body.has("evidence")) {
      bool first = true;
      for (auto seq : e.body.unsigned_items("evidence")) {
        if (!first) buf_.push_back(',');
        first = false;
        util::append_json_number(buf_, seq);
      }
    }
    buf_.literal("]]");
    if (ev::resource_sample.is(e.type)) resource_row(e);
  }

  // [subject (index into meta.sampled), t_us, seq, cpu %, rss, rss peak, pss (bytes), read,
  //  write (bytes/s), fds, threads, processes]; null where unknown (views/resource_rates.hpp).
  // Every sample of the page is there: the page thins them per pixel when it draws.
  void resource_row(const EventRef& e) {
    auto p = rates_.add(e);
    int subject;
    if (auto it = sampled_index_.find(e.source.name); it != sampled_index_.end()) {
      subject = it->second;
    } else {
      sampled_.emplace_back(e.source.name);
      subject = sampled_index_[std::string(e.source.name)] = int(sampled_.size() - 1);
    }
    auto& out = resources_.buf;
    resources_.next_item();
    out.push_back('[');
    util::append_json_number(out, std::int64_t(subject));
    out.push_back(',');
    util::append_json_number(out, std::int64_t(e.t_ns / 1000));
    out.push_back(',');
    util::append_json_number(out, e.seq);
    for (const auto& v : {p.cpu_pct, p.rss_bytes, p.rss_peak_bytes, p.pss_bytes, p.read_bps, p.write_bps, p.fds, p.threads,
                          p.processes}) {
      out.push_back(',');
      if (!v) {
        out.literal("null");
        continue;
      }
      char text[40];
      int n = *v == std::floor(*v) && std::fabs(*v) < 1e15 ? std::snprintf(text, sizeof text, "%.0f", *v)
                                                          : std::snprintf(text, sizeof text, "%.2f", *v);
      out.append(text, static_cast<std::size_t>(n));
    }
    out.push_back(']');
  }

  fs::path first_;
  std::string title_;
  HtmlOptions options_;
  HtmlResult result_;
  std::uint64_t total_ = 0, pages_ = 1, page_ = 0;
  fs::path tmp_;
  std::FILE* file_ = nullptr;
  util::TextBuffer buf_, scratch_;
  bool first_row_ = true;
  Spill details_, resources_;
  ResourceRates rates_;  // across pages: a page's first sample has its rate from the page before
  std::vector<std::string> sampled_;  // the page's sampled subjects
  std::map<std::string, int, std::less<>> sampled_index_;
  std::vector<Lane> lanes_;
  std::map<std::string, int, std::less<>> lane_index_;
  std::vector<std::string> types_;
  std::map<std::string, int, std::less<>> type_index_;
};

}  // namespace

HtmlResult write_timeline_html(const journal::EventLog& log, const std::filesystem::path& path, const std::string& title,
                               const HtmlOptions& options) {
  HtmlWriter writer(path, title, options);
  return writer.run(log);
}

}  // namespace bbx::views
