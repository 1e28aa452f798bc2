#define _GNU_SOURCE
#include <spawn.h>
#include "CSpawn.h"

int gatehouse_spawn_close_from(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

int gatehouse_enter_network_namespace(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int result = setns(fd, CLONE_NEWNET);
    close(fd);
    return result;
}
