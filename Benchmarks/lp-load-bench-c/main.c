#include <glpk.h>
int main(void) { return 0; }
