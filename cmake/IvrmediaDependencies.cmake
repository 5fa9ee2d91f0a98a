# Finds every dependency from its Debian package and stops with the package's name when one is
# missing, so a newcomer knows what to install (scripts/install-deps installs them all).
find_package(PkgConfig QUIET)

macro(ivrm_missing what package)
  message(FATAL_ERROR "ivrmedia: ${what} not found. Install the Debian package '${package}' "
                      "(or run scripts/install-deps, which installs every dependency).")
endmacro()

if(NOT PkgConfig_FOUND)
  ivrm_missing("pkg-config" "pkg-config")
endif()

# Library dependencies. Later subsystems link them; they are found here so a missing one stops
# the configure step with a clear message instead of a failure deep in a build.
find_package(Eigen3 3.3 QUIET NO_MODULE)
if(NOT Eigen3_FOUND)
  ivrm_missing("Eigen3" "libeigen3-dev")
endif()
pkg_check_modules(FFTW3F QUIET IMPORTED_TARGET fftw3f)
if(NOT FFTW3F_FOUND)
  ivrm_missing("FFTW3 (single precision, fftw3f)" "libfftw3-dev")
endif()
pkg_check_modules(SNDFILE QUIET IMPORTED_TARGET sndfile)
if(NOT SNDFILE_FOUND)
  ivrm_missing("libsndfile" "libsndfile1-dev")
endif()
pkg_check_modules(OPUS QUIET IMPORTED_TARGET opus)
if(NOT OPUS_FOUND)
  ivrm_missing("Opus" "libopus-dev")
endif()

# libpcap reads capture files for the replay tool (samples/rtpplay), which is built only when
# it is found.
pkg_check_modules(PCAP QUIET IMPORTED_TARGET libpcap)
if(PCAP_FOUND)
  message(STATUS "ivrmedia: libpcap ${PCAP_VERSION} found: ivrmedia-rtpplay enabled")
else()
  message(STATUS "ivrmedia: libpcap not found (Debian: libpcap-dev): ivrmedia-rtpplay skipped")
endif()

if(IVRMEDIA_BUILD_TESTS)
  find_package(GTest QUIET)
  if(NOT GTest_FOUND)
    ivrm_missing("GoogleTest" "googletest libgtest-dev")
  endif()
endif()
if(IVRMEDIA_BUILD_BENCHMARKS)
  find_package(benchmark QUIET)
  if(NOT benchmark_FOUND)
    ivrm_missing("Google Benchmark" "libbenchmark-dev")
  endif()
endif()
if(IVRMEDIA_BUILD_PYTHON)
  if(NOT DEFINED Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
    # Debian's interpreter is the one with python3-numpy and python3-pytest; a python3 earlier on
    # PATH (pyenv, venv) usually lacks them. Pass -DPython3_EXECUTABLE=... to choose another.
    set(Python3_EXECUTABLE /usr/bin/python3)
  endif()
  find_package(Python3 COMPONENTS Interpreter Development.Module QUIET)
  if(NOT Python3_FOUND)
    ivrm_missing("Python 3 headers" "python3-dev")
  endif()
  find_package(pybind11 CONFIG QUIET)
  if(NOT pybind11_FOUND)
    ivrm_missing("pybind11" "pybind11-dev")
  endif()
  execute_process(COMMAND "${Python3_EXECUTABLE}" -c "import numpy"
                  RESULT_VARIABLE _ivrm_numpy_rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT _ivrm_numpy_rc EQUAL 0)
    ivrm_missing("NumPy for ${Python3_EXECUTABLE}" "python3-numpy")
  endif()
endif()

# Peers we measure against: optional, used only by tests and benchmarks, never by the library.
pkg_check_modules(SPANDSP QUIET IMPORTED_TARGET spandsp)
pkg_check_modules(SPEEXDSP QUIET IMPORTED_TARGET speexdsp)
pkg_check_modules(SOXR QUIET IMPORTED_TARGET soxr)
foreach(_peer SPANDSP SPEEXDSP SOXR)
  if(${_peer}_FOUND)
    message(STATUS "ivrmedia: peer ${_peer} ${${_peer}_VERSION} found: peer tests and benchmarks enabled")
  else()
    message(STATUS "ivrmedia: peer ${_peer} not found: its tests and benchmark rows are skipped")
  endif()
endforeach()
