# Installs, for one release, a header at each path the library's headers had
# before the split into one folder per concept, including the new header(s)
# (cmake/forwarding_headers.txt: "old new [new...]" per line), so that
# consumers written against 0.1 keep building.
file(STRINGS ${PROJECT_SOURCE_DIR}/cmake/forwarding_headers.txt kc_forwarding_lines
     REGEX "^[^#]")
foreach(line IN LISTS kc_forwarding_lines)
  string(REPLACE " " ";" fields "${line}")
  list(POP_FRONT fields old)
  set(text "// Moved: this path forwards for one release; include the header(s) below.\n")
  foreach(new IN LISTS fields)
    string(APPEND text "#include \"${new}\"\n")
  endforeach()
  file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/forwarding/${old} CONTENT "${text}")
  get_filename_component(old_dir ${old} DIRECTORY)
  install(FILES ${PROJECT_BINARY_DIR}/forwarding/${old}
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/kcontract/${old_dir})
endforeach()
