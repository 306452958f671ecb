# Installs the library, its headers and a CMake package so hosts can find_package(souk).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS souk EXPORT soukTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/souk DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT soukTargets NAMESPACE souk:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/souk)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/soukConfig.cmake.in
  ${PROJECT_BINARY_DIR}/soukConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/souk)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/soukConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/soukConfig.cmake ${PROJECT_BINARY_DIR}/soukConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/souk)
