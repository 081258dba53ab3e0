// Boost.JSON, compiled once into bbx_core (its header-only use: every other file includes
// <boost/json.hpp>). Used where parsing speed matters: compare/run_profile.cpp reads whole
// journals with it. nlohmann_json stays the project's JSON library everywhere else.
#include <boost/json/src.hpp>
