# Packaging tests: prove that a host project can consume souk the two supported ways.
#
#   souk.packaging.find_package     cmake --install this build into a staging root under the
#                                   build tree, then configure, build and run
#                                   tests/packaging/find_package with CMAKE_PREFIX_PATH there.
#   souk.packaging.add_subdirectory configure, build and run tests/packaging/add_subdirectory,
#                                   which add_subdirectory()s the souk source tree and checks
#                                   that only the library (no tests, examples, ...) was added.
#
# This file has two modes. include()d from tests/CMakeLists.txt it registers the tests (label
# `packaging`); run by ctest as `cmake -P` with -DSOUK_PACKAGING_TEST=... it performs one.

if(NOT CMAKE_SCRIPT_MODE_FILE)
  # ---------------------------------------------------------------- registration
  set(_souk_pkg_dir ${PROJECT_BINARY_DIR}/packaging)
  set(_souk_pkg_common
    -DSOUK_SOURCE_DIR=${PROJECT_SOURCE_DIR}
    -DSOUK_BINARY_DIR=${PROJECT_BINARY_DIR}
    -DSOUK_WORK_DIR=${_souk_pkg_dir}
    -DSOUK_CONFIG=$<CONFIG>
    -DSOUK_GENERATOR=${CMAKE_GENERATOR}
    -DSOUK_CXX_COMPILER=${CMAKE_CXX_COMPILER}
    -DSOUK_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER}
    -DSOUK_SANITIZE=${SOUK_SANITIZE})
  set(_souk_pkg_tests add_subdirectory)
  if(SOUK_INSTALL)
    list(APPEND _souk_pkg_tests find_package)
  endif()
  foreach(_souk_kind IN LISTS _souk_pkg_tests)
    add_test(NAME souk.packaging.${_souk_kind}
      COMMAND ${CMAKE_COMMAND} ${_souk_pkg_common} -DSOUK_PACKAGING_TEST=${_souk_kind}
              -P ${PROJECT_SOURCE_DIR}/cmake/packaging-tests.cmake)
    # Each one compiles with -j2: under `ctest -j2` let it have the machine to itself.
    set_tests_properties(souk.packaging.${_souk_kind} PROPERTIES
      LABELS packaging PROCESSORS 2 RESOURCE_LOCK souk_packaging TIMEOUT 1200)
  endforeach()
  unset(_souk_pkg_dir)
  unset(_souk_pkg_common)
  unset(_souk_pkg_tests)
  unset(_souk_kind)
  return()
endif()

# -------------------------------------------------------------------- script mode
cmake_minimum_required(VERSION 3.25)

foreach(_var SOUK_SOURCE_DIR SOUK_BINARY_DIR SOUK_WORK_DIR SOUK_PACKAGING_TEST SOUK_GENERATOR)
  if(NOT ${_var})
    message(FATAL_ERROR "packaging-tests.cmake: ${_var} is not set")
  endif()
endforeach()
if(NOT SOUK_CONFIG)
  set(SOUK_CONFIG RelWithDebInfo)
endif()

function(souk_run)
  string(REPLACE ";" " " _shown "${ARGN}")
  message(STATUS "packaging: ${_shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "packaging: command failed (${_rc}): ${_shown}")
  endif()
endfunction()

set(_host_src ${SOUK_SOURCE_DIR}/tests/packaging/${SOUK_PACKAGING_TEST})
set(_host_bin ${SOUK_WORK_DIR}/${SOUK_PACKAGING_TEST}-build)

# The host is built the way souk itself was: same generator, compiler, build type, ccache, and
# the sanitizer flags (a sanitized static souk needs a sanitized link).
set(_host_args
  -S ${_host_src} -B ${_host_bin} -G ${SOUK_GENERATOR} --no-warn-unused-cli
  -DCMAKE_BUILD_TYPE=${SOUK_CONFIG})
if(SOUK_CXX_COMPILER)
  list(APPEND _host_args -DCMAKE_CXX_COMPILER=${SOUK_CXX_COMPILER})
endif()
if(SOUK_LAUNCHER)
  list(APPEND _host_args -DCMAKE_CXX_COMPILER_LAUNCHER=${SOUK_LAUNCHER})
endif()
if(SOUK_SANITIZE)
  string(REPLACE ";" "," SOUK_SANITIZE "${SOUK_SANITIZE}")
  list(APPEND _host_args
    "-DCMAKE_CXX_FLAGS=-fsanitize=${SOUK_SANITIZE} -fno-omit-frame-pointer"
    -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=${SOUK_SANITIZE})
endif()

if(SOUK_PACKAGING_TEST STREQUAL "find_package")
  # Stage the install with DESTDIR so that nothing, even an absolute install destination,
  # escapes the build tree; the package is relocatable, so the staged copy is found as is.
  set(_stage ${SOUK_WORK_DIR}/stage)
  set(_prefix ${_stage}/opt/souk)
  file(REMOVE_RECURSE ${_stage})
  set(ENV{DESTDIR} ${_stage})
  souk_run(${CMAKE_COMMAND} --install ${SOUK_BINARY_DIR} --config ${SOUK_CONFIG} --prefix /opt/souk)
  unset(ENV{DESTDIR})
  file(GLOB_RECURSE _configs ${_prefix}/*/soukConfig.cmake)
  if(NOT _configs)
    message(FATAL_ERROR "packaging: the install put no soukConfig.cmake under ${_prefix}")
  endif()
  list(APPEND _host_args -DCMAKE_PREFIX_PATH=${_prefix}
    -DSOUK_EXPECTED_PREFIX=${_prefix})
elseif(SOUK_PACKAGING_TEST STREQUAL "add_subdirectory")
  list(APPEND _host_args -DSOUK_SOURCE_DIR=${SOUK_SOURCE_DIR})
else()
  message(FATAL_ERROR "packaging: unknown test '${SOUK_PACKAGING_TEST}'")
endif()

# A fresh host build tree every run, so nothing cached from an earlier run can hide a problem.
# Recompiling the embedded souk is cheap then: same paths and flags, so ccache has every object.
file(REMOVE_RECURSE ${_host_bin})
souk_run(${CMAKE_COMMAND} ${_host_args})
souk_run(${CMAKE_COMMAND} --build ${_host_bin} --config ${SOUK_CONFIG} -j 2)
if(EXISTS ${_host_bin}/${SOUK_CONFIG}/souk-host)
  set(_exe ${_host_bin}/${SOUK_CONFIG}/souk-host)
else()
  set(_exe ${_host_bin}/souk-host)
endif()
souk_run(${_exe})
message(STATUS "packaging: ${SOUK_PACKAGING_TEST} host built and ran")
