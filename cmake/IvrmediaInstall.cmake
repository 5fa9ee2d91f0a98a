# Install rules: libraries, headers, an exported CMake package (find_package(ivrmedia) gives
# ivrmedia::ivrmedia and ivrmedia::ivrmedia_static) and a pkg-config file.
include(CMakePackageConfigHelpers)

install(TARGETS ivrmedia ivrmedia_static
  EXPORT ivrmediaTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT dev
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ivrmedia DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(IVRM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/ivrmedia)
install(EXPORT ivrmediaTargets NAMESPACE ivrmedia:: DESTINATION ${IVRM_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/ivrmediaConfig.cmake.in
  ${PROJECT_BINARY_DIR}/ivrmediaConfig.cmake INSTALL_DESTINATION ${IVRM_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ivrmediaConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ivrmediaConfig.cmake
              ${PROJECT_BINARY_DIR}/ivrmediaConfigVersion.cmake
        DESTINATION ${IVRM_CMAKE_DIR})

# Relocatable: the prefix is found from the .pc file's own place, so `cmake --install --prefix`
# anywhere gives a working file.
file(RELATIVE_PATH IVRM_PC_TO_PREFIX "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
configure_file(${PROJECT_SOURCE_DIR}/cmake/ivrmedia.pc.in ${PROJECT_BINARY_DIR}/ivrmedia.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/ivrmedia.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
