# ita_cmd_score: the `itactl score` subcommand (client/cmd_score.c) as a small static library, so
# that itactl links it and tests/core can drive cmd_score_run() directly. Include this file from
# client/CMakeLists.txt; it needs the ita_core target.
add_library(ita_cmd_score STATIC ${CMAKE_CURRENT_LIST_DIR}/cmd_score.c)
target_include_directories(ita_cmd_score PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(ita_cmd_score PUBLIC ita_core)
