// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+) is declared under _GNU_SOURCE, which Swift's Glibc module
// does not import; this wrapper makes it callable from the tests' process launcher.
#pragma once
#include <spawn.h>

int gatehouse_spawn_close_from(posix_spawn_file_actions_t *actions, int from);
