// How each body field of the journal's event types enters a comparison. Every field is
// compared (after normalisation) unless this table says otherwise; the table is derived
// from docs/journal-events.md: every field whose `varies` column says `yes`, and every
// environment-dependent one ("Fields that vary from run to run"), has an entry, which
// tests/test_compare_event_fields.cpp checks against the page in both directions.
#pragma once

#include <string_view>
#include <vector>

namespace bbx::compare {

enum class Treatment {
  compared,     // part of the event's identity, after normalisation (the default)
  role,         // an allocated value: compared as its role (normalise.hpp, layer 1)
  number,       // a measurement: compared in layer 3 (numbers), not in the event's identity
  dropped,      // varies by timing or numbering (connection numbers, seqs, client ports)
  environment,  // differs between machines, checkouts or command lines, not between builds
};

struct FieldRule {
  std::string_view type;   // "http.request"
  std::string_view field;  // "headers", or a nested one: "request.headers"
  Treatment how;
};

// Every rule, by type.
const std::vector<FieldRule>& field_rules();
// The treatment of a field ("request.headers" for a nested one); compared when not listed.
Treatment treatment(std::string_view type, std::string_view field);

// The rules of one type (empty when it has none): a lookup made once per event type.
const std::vector<FieldRule>& rules_of(std::string_view type);

}  // namespace bbx::compare
