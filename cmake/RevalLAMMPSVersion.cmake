# reval_lammps_version_number(<version.h> <out-number> [<out-string>])
#
# LAMMPS has no numeric version macro: src/version.h only holds
#   #define LAMMPS_VERSION "29 Sep 2021"      (plus LAMMPS_UPDATE "Update 2" in update releases)
# This turns the date into YYYYMMDD (20210929), the same number LAMMPS computes at run time
# (utils::date2num, lmp->num_ver), so plugin code can write `#if REVAL_LAMMPS_VERSION >= 20220324`.
# Stops with a message naming the file when it cannot be parsed.
function(reval_lammps_version_number header outvar)
  if(NOT EXISTS "${header}")
    message(FATAL_ERROR "REVAL: ${header} does not exist, so the LAMMPS version cannot be determined.\n"
                        "Fix: point LAMMPS_SOURCE_DIR at the 'src' folder of a LAMMPS source tree.")
  endif()
  file(STRINGS "${header}" _line REGEX "^#define[ \t]+LAMMPS_VERSION[ \t]+\"")
  if(NOT _line MATCHES "\"([0-9]+)[ \t]+([A-Za-z]+)[ \t]+([0-9][0-9][0-9][0-9])\"")
    message(FATAL_ERROR "REVAL: cannot parse '#define LAMMPS_VERSION \"D Mon YYYY\"' in ${header} "
                        "(found: '${_line}').\nFix: use an unmodified LAMMPS src/version.h.")
  endif()
  set(_d "${CMAKE_MATCH_1}")
  set(_m "${CMAKE_MATCH_2}")
  set(_y "${CMAKE_MATCH_3}")
  string(SUBSTRING "${_m}" 0 3 _m3)
  set(_months Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec)
  list(FIND _months "${_m3}" _mi)
  if(_mi LESS 0 OR _d LESS 1 OR _d GREATER 31)
    message(FATAL_ERROR "REVAL: unknown month or day in LAMMPS_VERSION '${_d} ${_m} ${_y}' of ${header}.")
  endif()
  math(EXPR _num "${_y} * 10000 + (${_mi} + 1) * 100 + ${_d}")
  set(${outvar} ${_num} PARENT_SCOPE)
  if(ARGC GREATER 2)
    set(_s "${_d} ${_m} ${_y}")
    file(STRINGS "${header}" _upd REGEX "^#define[ \t]+LAMMPS_UPDATE[ \t]+\"")
    if(_upd MATCHES "\"([^\"]+)\"" AND NOT CMAKE_MATCH_1 STREQUAL "Development")
      string(APPEND _s " - ${CMAKE_MATCH_1}")
    endif()
    set(${ARGV2} "${_s}" PARENT_SCOPE)
  endif()
endfunction()
