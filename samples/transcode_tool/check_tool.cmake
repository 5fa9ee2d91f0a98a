# ctest check of ivrmedia-transcode on the demo's recordings (run with cmake -P): the caller's
# PIN survives every codec path (found by ivrmedia-dtmf afterwards), sizes are what the codec
# says, and bad arguments give a one-line error with a non-zero exit.
set(work ${DIR}/transcode)
file(MAKE_DIRECTORY ${work})
function(run)
  execute_process(COMMAND ${TOOL} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ivrmedia-transcode ${ARGN} failed (${rc}): ${err}")
  endif()
  message(STATUS "${out}")
endfunction()
function(expect_pin file)
  execute_process(COMMAND ${DTMF} ${file} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  string(REGEX REPLACE "\t[^\n]*\n" "" digits "${out}")
  if(NOT rc EQUAL 0 OR NOT digits STREQUAL "4711#")
    message(FATAL_ERROR "${file}: expected the PIN 4711#, got '${digits}'")
  endif()
endfunction()

set(in ${DIR}/caller_dtmf.wav)  # 3 s at 8 kHz
run(${in} ${work}/pin.ul)
file(SIZE ${work}/pin.ul size)
if(NOT size EQUAL 24000)
  message(FATAL_ERROR "3 s of PCMU must be 24000 bytes, got ${size}")
endif()
run(${work}/pin.ul ${work}/from_ul.wav)
expect_pin(${work}/from_ul.wav)
run(${in} ${work}/pin.g722)  # resampled 8 -> 16 kHz, one octet per two samples
file(SIZE ${work}/pin.g722 size)
if(NOT size EQUAL 24000)
  message(FATAL_ERROR "3 s of G.722 must be 24000 bytes, got ${size}")
endif()
run(${work}/pin.g722 ${work}/from_g722.flac --rate 8000)
expect_pin(${work}/from_g722.flac)
run(${in} ${work}/pin.opus --bitrate 16000)  # Ogg Opus written by ivrmedia, read by libsndfile
run(${work}/pin.opus ${work}/from_opus.wav --rate 8000)
expect_pin(${work}/from_opus.wav)
run(${in} ${work}/pin_alaw.wav --to pcma)
run(${work}/pin_alaw.wav ${work}/pin.l16 --rate 16000)
run(${work}/pin.l16 ${work}/from_l16.wav --raw l16 --in-rate 16000)
expect_pin(${work}/from_l16.wav)

foreach(bad "${work}/no-such.wav;${work}/x.ul" "${in};${work}/x.g722;--to;pcmu"
            "${in};${work}/x.xyz" "${in}")
  execute_process(COMMAND ${TOOL} ${bad} RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
  if(rc EQUAL 0 OR NOT err MATCHES "ivrmedia-transcode: ")
    message(FATAL_ERROR "'${bad}' must fail with a clear error, got exit ${rc}: ${err}")
  endif()
endforeach()
message(STATUS "ivrmedia-transcode: PIN survives PCMU, G.722, Ogg Opus and A-law/L16 paths")
