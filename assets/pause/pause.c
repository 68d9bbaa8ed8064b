/*
 * kcluster's pod sandbox: the process that holds a pod's network (and IPC) namespace while the pod's
 * containers come and go. It sleeps in pause() forever, exits 0 on SIGTERM or SIGINT (so `docker stop`
 * is immediate), and reaps zombies on SIGCHLD in case it ever becomes PID 1 of a shared PID namespace.
 * Built static (see build.sh) so the image it goes into holds this one file and nothing else.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_terminate(int sig) {
  (void)sig;
  _exit(0);
}

static void on_child(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "-v") == 0) {
    static const char version[] = "kcluster pause 1\n";
    return write(1, version, sizeof version - 1) < 0;
  }
  struct sigaction terminate = {.sa_handler = on_terminate};
  struct sigaction child = {.sa_handler = on_child, .sa_flags = SA_NOCLDSTOP | SA_RESTART};
  if (sigaction(SIGTERM, &terminate, NULL) < 0 || sigaction(SIGINT, &terminate, NULL) < 0 ||
      sigaction(SIGCHLD, &child, NULL) < 0) {
    static const char failed[] = "pause: sigaction failed\n";
    (void)!write(2, failed, sizeof failed - 1);
    return 1;
  }
  for (;;) pause();
  return 42; /* not reached */
}
