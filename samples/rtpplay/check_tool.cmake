# ctest check of ivrmedia-rtpplay on the captures make_test_captures wrote (run with cmake -P):
# one scenario framed five ways (Ethernet+VLAN/IPv4 pcap, raw IPv4 nanosecond pcap, Linux
# cooked/IPv6 pcapng, Linux cooked v2/IPv6 pcap, BSD loopback/IPv4 pcap) must replay identically; the log, the JSON
# statistics, the digits and the WAV must show what the scenario holds; bad input must give a
# one-line error and a non-zero exit.
cmake_minimum_required(VERSION 3.20)  # IN_LIST, string(JSON), list(POP_BACK)
set(work ${DIR}/out)
file(MAKE_DIRECTORY ${work})

function(run out_var)
  execute_process(COMMAND ${TOOL} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ivrmedia-rtpplay ${ARGN} failed (${rc}): ${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# The scenario: 150 PCMU packets of 20 ms (sequence 65500.., timestamp 0xFFFFF000..), 2 lost,
# 1 reordered, 15 RFC 4733 packets; the first arrives at 1700000000.030 s, the last at
# 1700000003.013 s.
set(first_play "1700000000030.000")
set(last_packet_ts 19744)  # (0xFFFFF000 + 149 * 160) mod 2^32
set(kinds "normal;concealed;accelerated;expanded;merged;cng")

set(reference "")
foreach(capture eth_vlan_ipv4.pcap raw_ipv4.pcap sll_ipv6.pcapng sll2_ipv6.pcap null_ipv4.pcap)
  set(log ${work}/${capture}.csv)
  set(wav ${work}/${capture}.wav)
  run(json ${DIR}/${capture} --log ${log} --out ${wav} --json)
  string(JSON frames GET "${json}" frames)
  string(JSON received GET "${json}" statistics received)
  string(JSON lost GET "${json}" statistics lost)
  string(JSON reordered GET "${json}" statistics reordered)
  string(JSON events GET "${json}" statistics event_packets)
  string(JSON audio GET "${json}" usage audio_packets)
  string(JSON concealed GET "${json}" statistics frames_by_kind concealed)
  string(JSON ssrc GET "${json}" stream ssrc)
  if(NOT lost EQUAL 2 OR NOT reordered EQUAL 1 OR NOT audio EQUAL 148 OR NOT events EQUAL 15
     OR NOT received EQUAL 163 OR concealed LESS 2 OR NOT ssrc EQUAL 305441741)
    message(FATAL_ERROR "${capture}: statistics do not show the scenario: lost ${lost} (2), "
      "reordered ${reordered} (1), audio ${audio} (148), event packets ${events} (15), "
      "received ${received} (163), concealed frames ${concealed} (>= 2), SSRC ${ssrc}")
  endif()

  # One log line per frame; kinds known; times every 20 ms from the first arrival.
  file(STRINGS ${log} lines)
  list(LENGTH lines n)
  if(NOT n EQUAL frames)
    message(FATAL_ERROR "${capture}: ${n} log lines for ${frames} frames")
  endif()
  # The capture spans 150 ticks; the stream ends after the tick past the last packet, plus the
  # buffer's delay (under 100 ms here) to play out.
  if(n LESS 151 OR n GREATER 157)
    message(FATAL_ERROR "${capture}: ${n} frames, expected 151 + the final delay (up to 157)")
  endif()
  list(GET lines 0 first)
  if(NOT first MATCHES "^${first_play},")
    message(FATAL_ERROR "${capture}: first frame '${first}' not at ${first_play}")
  endif()
  set(last_ts "")
  foreach(line IN LISTS lines)
    if(NOT line MATCHES "^[0-9]+\\.[0-9][0-9][0-9],([0-9]*),([a-z]+)$")
      message(FATAL_ERROR "${capture}: bad log line '${line}'")
    endif()
    set(ts "${CMAKE_MATCH_1}")
    if(NOT CMAKE_MATCH_2 IN_LIST kinds)
      message(FATAL_ERROR "${capture}: unknown kind in '${line}'")
    endif()
    if(NOT ts STREQUAL "")
      set(last_ts ${ts})
    endif()
  endforeach()
  # The last packet played: the last frame with a timestamp holds its first sample.
  math(EXPR into_last "${last_packet_ts} - ${last_ts}")
  if(into_last LESS 0 OR into_last GREATER_EQUAL 160)
    message(FATAL_ERROR "${capture}: last timestamped frame starts at ${last_ts}, not within "
                        "the last packet's frame (${last_packet_ts})")
  endif()

  # The WAV: one 160-sample frame per log line, 16-bit mono at 8 kHz (44-byte header).
  file(SIZE ${wav} size)
  math(EXPR expect "44 + ${n} * 160 * 2")
  if(NOT size EQUAL expect)
    message(FATAL_ERROR "${capture}: WAV is ${size} bytes, expected ${expect}")
  endif()

  # Digits: '5' in-band only, '7' both ways (reported once), '9' RFC 4733 only.
  string(JSON ndigits LENGTH "${json}" dtmf digits)
  set(found "")
  math(EXPR last "${ndigits} - 1")
  foreach(i RANGE ${last})
    string(JSON d GET "${json}" dtmf digits ${i} digit)
    string(JSON s GET "${json}" dtmf digits ${i} source)
    string(JSON start GET "${json}" dtmf digits ${i} start)
    list(APPEND found "${d}:${s}")
  endforeach()
  if(NOT found STREQUAL "5:inband;7:both;9:rfc4733")
    message(FATAL_ERROR "${capture}: digits ${found}, expected 5:inband;7:both;9:rfc4733")
  endif()

  # Every framing replays the same.
  file(READ ${log} content)
  if(reference STREQUAL "")
    set(reference "${content}")
  elseif(NOT content STREQUAL reference)
    message(FATAL_ERROR "${capture}: log differs from eth_vlan_ipv4.pcap's")
  endif()
endforeach()

# Text output: one line per press.
run(text ${DIR}/raw_ipv4.pcap)
if(NOT text MATCHES "^5\t[0-9.]+\t[0-9.]+\tinband\n7\t[0-9.]+\t[0-9.]+\tboth\n9\t[0-9.]+\t[0-9.]+\trfc4733\n$")
  message(FATAL_ERROR "text output:\n${text}")
endif()

# --ssrc picks the second stream (PCMA, 50 packets, no loss, no digits) and ends with it.
run(json ${DIR}/eth_vlan_ipv4.pcap --ssrc 0x2222 --json)
string(JSON received GET "${json}" statistics received)
string(JSON lost GET "${json}" statistics lost)
string(JSON pt GET "${json}" stream payload_type)
string(JSON frames GET "${json}" frames)
string(JSON ndigits LENGTH "${json}" dtmf digits)
if(NOT received EQUAL 50 OR NOT lost EQUAL 0 OR NOT pt EQUAL 8 OR NOT ndigits EQUAL 0
   OR frames GREATER 57)
  message(FATAL_ERROR "--ssrc 0x2222: received ${received} (50), lost ${lost} (0), PT ${pt} (8), "
                      "${ndigits} digits (0), ${frames} frames (<= 57)")
endif()

# Fixed delay and --event-pt none: the '9' (RFC 4733 only) disappears, '7' is in-band only.
run(text ${DIR}/sll_ipv6.pcapng --fixed-delay 100 --event-pt none)
if(NOT text MATCHES "^5\t[0-9.]+\t[0-9.]+\tinband\n7\t[0-9.]+\t[0-9.]+\tinband\n$")
  message(FATAL_ERROR "--event-pt none:\n${text}")
endif()

# The generator source: the live test's WAV sent through the seeded network simulator. The
# buffer must count what the simulator did (bursty_loss seed 3 loses 11 packets mid-stream;
# congested seed 1 duplicates one), and the ideal network must keep every in-band digit.
foreach(case "ideal;1;lost;0;12#" "bursty_loss;3;lost;11" "congested;1;duplicates;1;12#")
  list(GET case 0 network)
  list(GET case 1 seed)
  list(GET case 2 stat)
  list(GET case 3 want)
  list(LENGTH case len)
  run(json --generate ${DIR}/live_dtmf.wav --network ${network} --seed ${seed} --json)
  string(JSON got GET "${json}" statistics ${stat})
  string(JSON sim_lost GET "${json}" source lost)
  string(JSON lost GET "${json}" statistics lost)
  if(NOT got EQUAL want OR NOT sim_lost EQUAL lost)
    message(FATAL_ERROR "--generate --network ${network} --seed ${seed}: ${stat} ${got}, "
                        "expected ${want}; simulator lost ${sim_lost}, buffer ${lost}")
  endif()
  if(len EQUAL 5)
    list(GET case 4 digits)
    string(JSON n LENGTH "${json}" dtmf digits)
    set(found "")
    math(EXPR last "${n} - 1")
    foreach(i RANGE ${last})
      string(JSON d GET "${json}" dtmf digits ${i} digit)
      string(APPEND found "${d}")
    endforeach()
    if(NOT found STREQUAL digits)
      message(FATAL_ERROR "--generate --network ${network}: digits '${found}', expected ${digits}")
    endif()
  endif()
endforeach()

# Errors: one line naming the tool, exit 1 for input problems, 2 for usage.
foreach(bad "${DIR}/no-such.pcap|1" "${DIR}/live_dtmf.wav|1" "${DIR}/raw_ipv4.pcap;--ssrc;7|1"
            "${DIR}/raw_ipv4.pcap;--bogus|2" "|2" "${DIR}/raw_ipv4.pcap;--rate;44100|2"
            "${DIR}/raw_ipv4.pcap;--pt;96=nonsense/8000|2" "--generate;${DIR}/raw_ipv4.pcap|1"
            "--generate;${DIR}/live_dtmf.wav;--network;moon|1"
            "${DIR}/raw_ipv4.pcap;--live;0|2")
  string(REPLACE "|" ";" bad "${bad}")
  list(POP_BACK bad want)
  execute_process(COMMAND ${TOOL} ${bad} RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
  if(NOT rc EQUAL want OR NOT err MATCHES "^ivrmedia-rtpplay: ")
    message(FATAL_ERROR "'${bad}' must fail with exit ${want} and a clear error, got ${rc}: ${err}")
  endif()
endforeach()
# Damaged captures (bytes flipped, files cut short): played or refused, never a crash.
file(GLOB mutated ${DIR}/mutated_*)
list(LENGTH mutated n)
if(n LESS 24)
  message(FATAL_ERROR "only ${n} mutated captures in ${DIR}")
endif()
foreach(capture IN LISTS mutated)
  execute_process(COMMAND ${TOOL} ${capture} --json --log ${work}/mutated.csv
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 AND NOT rc EQUAL 1)
    message(FATAL_ERROR "${capture}: exit ${rc}: ${err}")
  endif()
endforeach()

message(STATUS "ivrmedia-rtpplay: five framings replay alike; loss, reordering, digits, WAV, "
               "generator under simulated networks ok")
