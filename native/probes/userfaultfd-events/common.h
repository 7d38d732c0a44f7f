/* The probes share the helpers of native/probes/userfaultfd. */
#include "../userfaultfd/common.h"
