# A missing or broken dependency stops configuration with a message that names the problem and a fix.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/notlammps/src")
file(WRITE "${WORK}/notlammps/src/version.h" "#define LAMMPS_VERSION \"29 Sep 2021\"\n")
file(MAKE_DIRECTORY "${WORK}/emptybuild")

function(expect_failure tag regex)
  execute_process(COMMAND ${CMAKE_COMMAND} -S "${SRC}" -B "${WORK}/b-${tag}" -G "${GENERATOR}" ${ARGN}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "[${tag}] configure succeeded but should have failed")
  endif()
  string(REGEX REPLACE "[ \t\r\n]+" " " flat "${err}")   # CMake wraps long message lines
  if(NOT flat MATCHES "${regex}" OR NOT flat MATCHES "Fix:")
    message(FATAL_ERROR "[${tag}] expected '${regex}' and a 'Fix:' line, got:\n${err}")
  endif()
  message(STATUS "[${tag}] failed as expected")
endfunction()

expect_failure(no-such-dir "LAMMPS_SOURCE_DIR=/nonexistent/lammps/src is not a usable LAMMPS src folder"
               -DLAMMPS_SOURCE_DIR=/nonexistent/lammps/src)
expect_failure(incomplete-tree "lammpsplugin.h is missing" -DLAMMPS_SOURCE_DIR=${WORK}/notlammps)
expect_failure(no-bootstrap "no LAMMPS to build the plugin against"
               -DREVAL_LAMMPS_ENV=${WORK}/missing/reval-lammps.env)
expect_failure(installed-without-sources "holds no LAMMPSConfig.cmake" -DLAMMPS_DIR=${WORK}/emptybuild)
