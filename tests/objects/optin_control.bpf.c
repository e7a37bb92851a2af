// The control of optin_socket.bpf.c: the same object without KCONTRACT_OPT_IN.
#define KC_WITHOUT_OPT_IN 1
#include "optin_socket.bpf.c"
