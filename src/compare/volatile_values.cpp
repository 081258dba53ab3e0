#include "compare/volatile_values.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "compare/alias_token.hpp"

namespace bbx::compare {

using namespace std::string_view_literals;  // literals appended without strlen

void Aliases::alias(std::string_view kind, std::string_view value, std::string& out) {
  key_.assign(kind).push_back('\0');
  key_.append(value);
  ++given_;
  auto it = numbers_.find(std::string_view(key_));
  if (it == numbers_.end()) {
    auto last = std::find_if(next_.begin(), next_.end(), [&](const auto& k) { return k.first == kind; });
    if (last == next_.end()) last = next_.insert(next_.end(), {kind, 0});
    it = numbers_.emplace(key_, ++last->second).first;
  }
  out += '[';
  out.append(kind);
  out += '_';
  out += std::to_string(it->second);
  out += ']';
}

namespace {

// Character classes, one table lookup each (the scans below test every character).
enum : std::uint8_t { kDigit = 1, kAlpha = 2, kWord = 4, kHex = 8, kStarts = 16 /* a word character or '[' */ };
constexpr std::array<std::uint8_t, 256> kClass = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    bool d = c >= '0' && c <= '9', a = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool w = d || a || c == '_', h = d || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    t[std::size_t(c)] = std::uint8_t((d ? kDigit : 0) | (a ? kAlpha : 0) | (w ? kWord : 0) | (h ? kHex : 0) |
                                     (w || c == '[' ? kStarts : 0));
  }
  return t;
}();
std::uint8_t cls(char c) { return kClass[static_cast<unsigned char>(c)]; }
bool digit(char c) { return cls(c) & kDigit; }
bool alpha(char c) { return cls(c) & kAlpha; }
bool word(char c) { return cls(c) & kWord; }
bool hexdigit(char c) { return cls(c) & kHex; }

class Scanner {
 public:
  Scanner(std::string_view t) : t_(t) {}
  char at(std::size_t i) const { return i < t_.size() ? t_[i] : '\0'; }
  // Exactly n digits from i; returns i + n, or npos.
  std::size_t digits(std::size_t i, std::size_t n) const {
    for (std::size_t k = 0; k < n; ++k)
      if (!digit(at(i + k))) return npos;
    return i + n;
  }
  // One or more digits from i (at most `max`); npos when none.
  std::size_t some_digits(std::size_t i, std::size_t max = 30) const {
    std::size_t j = i;
    while (j < t_.size() && digit(t_[j]) && j - i < max) ++j;
    return j == i ? npos : j;
  }
  bool ends_word(std::size_t j) const { return j >= t_.size() || !word(t_[j]); }

  // 8-4-4-4-12 hex.
  std::size_t uuid(std::size_t i) const {
    static constexpr std::array<int, 5> groups{8, 4, 4, 4, 12};
    std::size_t j = i;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      for (int k = 0; k < groups[g]; ++k, ++j)
        if (!hexdigit(at(j))) return npos;
      if (g + 1 < groups.size() && at(j++) != '-') return npos;
    }
    return ends_word(j) ? j : npos;
  }

  // hh:mm:ss(.frac)? and an optional zone (Z, +hh:mm, +hhmm).
  std::size_t time_of_day(std::size_t i) const {
    std::size_t j = digits(i, 2);
    if (j == npos || at(j) != ':') return npos;
    j = digits(j + 1, 2);
    if (j == npos || at(j) != ':') return npos;
    j = digits(j + 1, 2);
    if (j == npos) return npos;
    // A fraction masked already: the first time it ran into a word ("01:53:39,1s"), so no time.
    if ((at(j) == '.' || at(j) == ',') && alias_token_at(t_, j + 1)) return npos;
    if ((at(j) == '.' || at(j) == ',') && digit(at(j + 1))) j = some_digits(j + 1);
    const std::size_t zoneless = j;
    if (at(j) == 'Z') {
      ++j;
    } else if ((at(j) == '+' || at(j) == '-') && digits(j + 1, 2) != npos) {
      std::size_t k = j + 3;
      if (at(k) == ':') ++k;
      j = digits(k, 2) != npos ? k + 2 : j + 3;
    }
    if (ends_word(j)) return j;
    // "01:53:39-02s": not a zone but a word of its own (a duration here), which masking leaves
    // as a token: the time ends before it, so that it does the same when masked again.
    return j != zoneless && at(zoneless) != 'Z' && ends_word(zoneless) ? zoneless : npos;
  }

  // yyyy-mm-dd, optionally followed by T or a space and a time of day.
  std::size_t iso_date(std::size_t i) const {
    std::size_t j = digits(i, 4);
    if (j == npos || at(j) != '-') return npos;
    j = digits(j + 1, 2);
    if (j == npos || at(j) != '-') return npos;
    j = digits(j + 1, 2);
    if (j == npos) return npos;
    if (at(j) == 'T' || at(j) == ' ')
      if (auto t = time_of_day(j + 1); t != npos) return t;
    return ends_word(j) ? j : npos;
  }

  static bool one_of(std::string_view s, std::initializer_list<std::string_view> names) {
    for (auto n : names)
      if (!s.empty() && s[0] == n[0] && s == n) return true;
    return false;
  }
  bool month_at(std::size_t i) const {
    return i + 3 <= t_.size() &&
           one_of(t_.substr(i, 3), {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"});
  }

  // "Sat, 06 Dec 2026 01:53:39 GMT" (HTTP dates).
  std::size_t http_date(std::size_t i) const {
    if (i + 29 > t_.size() || at(i + 3) != ',' || !one_of(t_.substr(i, 3), {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}))
      return npos;
    if (t_.substr(i + 3, 2) != ", " || digits(i + 5, 2) == npos || at(i + 7) != ' ' || !month_at(i + 8) ||
        at(i + 11) != ' ' || digits(i + 12, 4) == npos || at(i + 16) != ' ')
      return npos;
    std::size_t j = time_of_day(i + 17);
    if (j == npos) return npos;
    if (t_.substr(j, 4) == " GMT") j += 4;
    return j;
  }

  // "Dec  6 01:53:39", "Dec 06 01:53:39.123" (syslog).
  std::size_t syslog_stamp(std::size_t i) const {
    if (at(i + 3) != ' ' || !month_at(i)) return npos;
    std::size_t j = i + 4;
    if (at(j) == ' ') ++j;
    std::size_t d = some_digits(j, 2);
    if (d == npos || at(d) != ' ') return npos;
    return time_of_day(d + 1);
  }

  // A Unix epoch in s, ms, us or ns between 2001 and 2036 (10, 13, 16 or 19 digits, an
  // optional fraction).
  std::size_t epoch(std::size_t i) const {
    std::size_t j = some_digits(i, 20);
    if (j == npos) return npos;
    std::size_t n = j - i;
    if (n != 10 && n != 13 && n != 16 && n != 19) return npos;
    std::uint64_t seconds = std::stoull(std::string(t_.substr(i, 10)));
    if (seconds < 978307200ULL || seconds > 2114380800ULL) return npos;
    if (at(j) == '.' && digit(at(j + 1))) j = some_digits(j + 1);
    return ends_word(j) ? j : npos;
  }

  // A number with a time unit: 12ms, 1.5s, 250 us, 3 seconds, 1h2m3.5s.
  std::size_t duration(std::size_t i) const {
    std::size_t j = i, groups = 0;
    for (;;) {
      std::size_t k = some_digits(j);
      if (k == npos) break;
      if (at(k) == '.' && digit(at(k + 1))) k = some_digits(k + 1);
      std::size_t unit = k;
      bool spaced = false;
      if (at(unit) == ' ' && groups == 0) ++unit, spaced = true;
      std::size_t end = unit_end(unit, spaced);
      if (end == npos) break;
      j = end;
      ++groups;
      if (!digit(at(j))) break;  // 1h2m3s: another group follows directly
    }
    if (groups == 0 || !ends_word(j) || (at(j) == '.' && digit(at(j + 1)))) return npos;
    return j;
  }

  std::size_t unit_end(std::size_t u, bool spaced) const {
    const char c = at(u);  // every unit starts with one of these: most candidates end here
    if (c != 'n' && c != 'u' && c != 'm' && c != 's' && c != 'h' && c != '\xC2') return npos;
    static constexpr std::array<std::string_view, 19> long_units{
        "nanoseconds", "nanosecond", "microseconds", "microsecond", "milliseconds", "millisecond", "seconds",
        "second", "minutes", "minute", "secs", "sec", "mins", "min", "ns", "us", "\xC2\xB5s", "ms", "s"};
    for (auto unit : long_units)
      if (at(u) == unit[0] && t_.compare(u, unit.size(), unit) == 0 && (ends_word(u + unit.size()) || (!spaced && digit(at(u + unit.size())))))
        return u + unit.size();
    // h and m only unspaced and directly followed by another group (1h2m, 2m30s): "5m" alone
    // may be metres, "2h" a typo.
    if (!spaced && (at(u) == 'h' || at(u) == 'm') && digit(at(u + 1))) return u + 1;
    return npos;
  }

  // An address that may be followed by :port: IPv4, [IPv6] or localhost. Returns the end of
  // the address when a ':' and digits (or a token that replaced them) follow it.
  std::size_t address_before_port(std::size_t i) const {
    std::size_t j = npos;
    if (at(i) == 'l' && t_.compare(i, 9, "localhost") == 0) {
      j = i + 9;
    } else if (at(i) == '[') {
      std::size_t k = i + 1;
      while (k < t_.size() && k - i < 48 && (hexdigit(t_[k]) || t_[k] == ':' || t_[k] == '.')) ++k;
      if (at(k) == ']' && k > i + 1) j = k + 1;
    } else if (digit(at(i))) {
      std::size_t k = i;
      for (int part = 0; part < 4; ++part) {
        std::size_t e = some_digits(k, 3);
        if (e == npos) return npos;
        k = e;
        if (part < 3) {
          if (at(k) != '.') return npos;
          ++k;
        }
      }
      j = k;
    }
    if (j == npos || at(j) != ':' || !(digit(at(j + 1)) || alias_token_at(t_, j + 1))) return npos;
    return j;
  }

  static constexpr std::size_t npos = std::string_view::npos;

 private:
  std::string_view t_;
};

// An address and its port at text[i] (address_before_port), appended to out with an
// ephemeral port (5 digits, 32768 and up) aliased. The end, or npos when none is there.
std::size_t address_and_port(const Scanner& s, std::string_view text, std::size_t i, Aliases& aliases, std::string& out) {
  constexpr auto npos = Scanner::npos;
  std::size_t a = s.address_before_port(i);
  if (a == npos) return npos;
  if (auto n = alias_token_at(text, a + 1)) {  // masked already: the address stays as it was the first time
    out.append(text.substr(i, a + 1 + n - i));
    return a + 1 + n;
  }
  std::size_t p = s.some_digits(a + 1, 6);
  if (!s.ends_word(p)) return npos;
  out.append(text.substr(i, a + 1 - i));
  auto port = text.substr(a + 1, p - a - 1);
  if (port.size() == 5 && port >= "32768")
    aliases.alias("PORT", port, out);
  else
    out.append(port);
  return p;
}

}  // namespace

bool may_hold_volatile(std::string_view text) {
  for (char c : text)
    if ((cls(c) & kDigit) || c == '-') return true;
  return false;
}

void mask_volatile(std::string_view text, Aliases& aliases, std::string& out) {
  if (!may_hold_volatile(text)) {
    out.append(text);
    return;
  }
  Scanner s(text);
  constexpr auto npos = Scanner::npos;
  std::size_t i = 0;
  // Where the last alias token passed over ends. Every value masked ends in a word character,
  // so what follows a token reads as following a word, as it did before the value was masked
  // (else masking a text again would mask more: idempotence).
  std::size_t after_token = npos;
  out.reserve(out.size() + text.size());
  while (i < text.size()) {
    char c = text[i];
    if (!(cls(c) & kStarts)) {  // a run of characters that start nothing: copied at once
      std::size_t j = i + 1;
      while (j < text.size() && !(cls(text[j]) & kStarts)) ++j;
      out.append(text.substr(i, j - i));
      i = j;
      continue;
    }
    if (c == '[') {
      if (auto n = alias_token_at(text, i)) {
        out.append(text.substr(i, n));
        i += n;
        after_token = i;
        continue;
      }
    }
    const bool word_start = i != after_token && (i == 0 || (!word(text[i - 1]) && text[i - 1] != '.'));
    if (!word_start) {  // inside a word, or glued to a token: nothing starts before the word ends
      std::size_t j = i + 1;
      if (word(c))
        while (j < text.size() && word(text[j])) ++j;
      out.append(text.substr(i, j - i));
      i = j;
      continue;
    }
    std::size_t end = npos;
    // Each shape is tried only where what it needs at its start is there (the digits it
    // starts with, the character after them): most words are none of them.
    std::size_t n = 0;  // digits from i
    while (i + n < text.size() && digit(text[i + n])) ++n;
    const char after = s.at(i + n);
    if (hexdigit(c) && s.at(i + 8) == '-' && (end = s.uuid(i)) != npos) {
      aliases.alias("UUID", text.substr(i, end - i), out);
      i = end;
      continue;
    }
    if (alpha(c) && ((end = s.http_date(i)) != npos || (end = s.syslog_stamp(i)) != npos)) {
      out += "[TIMESTAMP]"sv;
      i = end;
      continue;
    }
    if (n && ((n == 4 && after == '-' && (end = s.iso_date(i)) != npos) || (n == 2 && after == ':' && (end = s.time_of_day(i)) != npos) ||
              ((n == 10 || n == 13 || n == 16 || n == 19) && (end = s.epoch(i)) != npos))) {
      out += "[TIMESTAMP]"sv;
      i = end;
      continue;
    }
    // 127.0.0.1:PORT, [::1]:PORT, localhost:PORT
    // It ends in a port's digits or in the token that replaced them (a token passed over).
    if ((n ? n <= 3 && after == '.' : c == 'l' || c == '[') && (end = address_and_port(s, text, i, aliases, out)) != npos) {
      i = after_token = end;
      continue;
    }
    if (c == '[') {
      out += c;
      ++i;
      continue;
    }
    if (digit(c)) {
      if (c == '0' && (s.at(i + 1) == 'x' || s.at(i + 1) == 'X')) {
        std::size_t j = i + 2;
        while (j < text.size() && hexdigit(text[j])) ++j;
        if (j - i >= 6 && s.ends_word(j)) {
          aliases.alias("HEX", text.substr(i, j - i), out);
          i = j;
          continue;
        }
      }
      const bool unit_or_fraction = after == '.' || after == ' ' || after == 'n' || after == 'u' || after == '\xC2' ||
                                    after == 'm' || after == 's' || after == 'h';
      if (unit_or_fraction && (end = s.duration(i)) != npos) {
        out += "[DURATION]"sv;
        i = end;
        continue;
      }
    }
    // A whole word: a hex id, or copied as it is (nothing starts inside a word).
    std::size_t j = i;
    std::uint8_t every = kHex, some = 0;  // the classes all its characters have, and any has
    for (std::uint8_t k; j < text.size() && ((k = cls(text[j])) & kWord); ++j) {
      every &= k;
      some |= k;
    }
    if ((every & kHex) && (some & kDigit) && (some & kAlpha) && j - i >= 8) {
      aliases.alias("HEX", text.substr(i, j - i), out);
    } else {
      out.append(text.substr(i, j - i));
    }
    i = j;
  }
}

}  // namespace bbx::compare
