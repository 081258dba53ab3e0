// Terminal escape sequences in captured output (ECMA-48, 7-bit forms).
#pragma once

#include <string>
#include <string_view>

namespace bbx::util {

// `text` without its escape sequences: CSI (ESC [ parameters intermediates final, e.g.
// SGR colours and cursor moves), the string controls OSC/DCS/SOS/PM/APC (ESC ] ... up to
// BEL or ST, e.g. window titles) and the other ESC sequences (ESC, intermediates 0x20-0x2F,
// a final 0x30-0x7E: ESC 7, ESC ( B). A sequence cut off by the end of text is dropped
// whole; an ESC followed by anything else is dropped alone. All other bytes, control
// characters and invalid UTF-8 included, are kept. Text without ESC comes back unchanged.
// The journal keeps subject output raw; reports show it through this.
std::string strip_ansi(std::string_view text);

}  // namespace bbx::util
