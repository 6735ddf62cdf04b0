# pga_add_test(NAME SOURCES a.cpp b.cpp LIBS pga_app LABEL unit|integration|gui
#              [TZ Zone/Name] [KEYCHAIN] [TIMEOUT s])
# One place that sets how tests run: offscreen widgets, a fixed or non-UTC time zone, labels,
# a private HOME/XDG tree, and (KEYCHAIN) a real gnome-keyring inside its own D-Bus session.
# A QSKIP must show as skipped, never as passed: SKIP_REGULAR_EXPRESSION matches QtTest's totals when
# something was skipped and nothing failed (CMake's ^ anchors at the start of the whole output, so
# "^SKIP   :" never matched; and a skip match would hide a failure, so a failed count must be 0).
function(pga_add_test name)
  cmake_parse_arguments(T "KEYCHAIN" "LABEL;TZ;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT T_LABEL)
    set(T_LABEL unit)
  endif()
  if(NOT T_TZ)
    set(T_TZ UTC)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} Qt6::Test)
  set(runner ${PROJECT_SOURCE_DIR}/tests/support/run-test.sh)
  set(mode plain)
  if(T_KEYCHAIN)
    set(mode keychain)
  endif()
  add_test(NAME ${name} COMMAND ${runner} ${mode} $<TARGET_FILE:${name}>)
  set_tests_properties(${name} PROPERTIES
    LABELS ${T_LABEL}
    TIMEOUT ${T_TIMEOUT}
    SKIP_REGULAR_EXPRESSION "Totals: [0-9]+ passed, 0 failed, [1-9][0-9]* skipped"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TZ=${T_TZ};PGA_SOURCE_DIR=${PROJECT_SOURCE_DIR};PGA_BINARY_DIR=${PROJECT_BINARY_DIR}")
endfunction()
