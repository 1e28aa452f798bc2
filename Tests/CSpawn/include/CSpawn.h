// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+) is declared under _GNU_SOURCE, which Swift's Glibc module
// does not import; this wrapper makes it callable from the tests' process launcher.
#pragma once
#include <spawn.h>

int gatehouse_spawn_close_from(posix_spawn_file_actions_t *actions, int from);

// setns(2) and CLONE_NEWNET are declared under _GNU_SOURCE too: moves the calling thread into the network namespace
// at `path` (/var/run/netns/NAME); 0 on success, -1 with errno otherwise.
int gatehouse_enter_network_namespace(const char *path);
