// timeline.html: one journal as a self-contained page (no network, no CDN: the page's
// script and style are plain JS/CSS written in views/timeline_page.cpp, the events are
// embedded as JSON). Swimlanes per source on one time axis (canvas, zoom and pan), steps
// and HTTP requests as spans, failed assertions marked across every lane and linked to the
// events they cite, a tooltip with the event, search, filters by source and type, an event
// list (a windowed DOM: only the rows in view exist), linkable anchors (#e<seq>), and a
// sequence view of who called whom (requests from subjects and bbx's steps to the fakes),
// and below the lanes, on their time axis, each sampled subject's resource plots (CPU %,
// memory, I/O rates, fds/threads/processes, from views/resource_rates.hpp) with the steps,
// marks and failures as lines across them and the values under the mouse.
//
// Rendering is virtualised (the canvas draws only what is in view; the list builds only
// visible rows), so a page of hundreds of thousands of events stays usable. A journal of
// more than page_events events is paged: timeline.html holds the first page_events,
// timeline-2.html the next, ...; every page says on screen which events it holds, links
// the others, and sends an anchor to an event on another page there. An event body longer
// than detail_bytes is cut in the tooltip with a note naming its journal line; nothing
// else is left out.
//
// The tooltips' details are a block of their own at the end of a page, after its script,
// parsed by the page only when a tooltip is first shown: the first screen is drawn while
// the browser still reads them (they are most of a page's bytes). The page's resource
// samples (all of them: the page thins them per pixel when it draws, keeping each pixel's
// lowest and highest) come after the rows, before the script.
// While a page is written both wait in PAGE.details.tmp and PAGE.resources.tmp beside it.
//
// Streams: memory is one page's lanes, types and sampled subjects, not its events.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "journal/event_log.hpp"

namespace bbx::views {

struct HtmlOptions {
  std::uint64_t page_events = 250'000;
  std::size_t detail_bytes = 600;
};

struct HtmlResult {
  std::vector<std::filesystem::path> pages;  // pages[0] is `path`
  std::uint64_t events = 0;
};

// Writes the page(s) for `log` at `path` (and path's stem + "-2.html", ... beside it; stale
// pages of an earlier run of the view are removed). `title` heads every page. Throws
// bbx::Error (harness) when a file cannot be written, and what the log's scan throws.
HtmlResult write_timeline_html(const journal::EventLog& log, const std::filesystem::path& path, const std::string& title,
                               const HtmlOptions& options = {});

// The page's script and style around the data, written in this order.
extern const char* const kTimelinePageHead;  // up to the data
extern const char* const kTimelinePageTail;  // after the data and the page's metadata
extern const char* const kTimelinePlots;     // the resource plots (views/timeline_plots.cpp)
extern const char* const kTimelinePageEnd;   // the rest of the script after the plots

}  // namespace bbx::views
