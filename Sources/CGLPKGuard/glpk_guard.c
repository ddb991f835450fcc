#include "glpk_guard.h"

#include <setjmp.h>
#include <stddef.h>

static void cg_on_error(void *info) { longjmp(*(jmp_buf *)info, 1); }

/* The guarded call running on this thread (its jump buffer), and the poll that may stop it. */
static _Thread_local jmp_buf *cg_active = NULL;
static _Thread_local cg_poll_fn cg_poll = NULL;
static _Thread_local void *cg_poll_info = NULL;
static _Thread_local cg_output_fn cg_output = NULL;
static _Thread_local void *cg_output_info = NULL;

/* GLPK's terminal hook: hands the text on, then asks the poll whether to stop. The poll has
 * returned before the jump, so only GLPK's C frames and the guarded wrapper are unwound. */
static int cg_term(void *info, const char *s) {
  (void)info;
  int handled = cg_output ? cg_output(cg_output_info, s) : 0;
  if (cg_active != NULL && cg_poll != NULL && cg_poll(cg_poll_info)) {
    jmp_buf *target = cg_active;
    cg_active = NULL;
    glp_error_hook(NULL, NULL);
    longjmp(*target, 2);
  }
  return handled;
}

void cg_term_hook(cg_output_fn output, void *info) {
  cg_output = output;
  cg_output_info = info;
  glp_term_hook(output ? cg_term : NULL, NULL);
}

void cg_set_poll(cg_poll_fn poll, void *info) {
  cg_poll = poll;
  cg_poll_info = info;
}

/* GUARDED(body): run body with the error hook pointing at a jump buffer local
 * to this wrapper; a fatal error lands in the setjmp branch with 1, a stop
 * asked by the poll with 2. */
#define GUARDED(body)                          \
  do {                                         \
    jmp_buf env;                               \
    switch (setjmp(env)) {                     \
    case 0: break;                             \
    case 2:                                    \
      cg_active = NULL;                        \
      glp_error_hook(NULL, NULL);              \
      return CG_STOPPED;                       \
    default:                                   \
      cg_active = NULL;                        \
      glp_error_hook(NULL, NULL);              \
      return CG_FATAL;                         \
    }                                          \
    cg_active = &env;                          \
    glp_error_hook(cg_on_error, &env);         \
    body;                                      \
    glp_error_hook(NULL, NULL);                \
    cg_active = NULL;                          \
    return CG_OK;                              \
  } while (0)

int cg_simplex(glp_prob *P, const glp_smcp *parm, int *ret) { GUARDED(*ret = glp_simplex(P, parm)); }
int cg_interior(glp_prob *P, const glp_iptcp *parm, int *ret) { GUARDED(*ret = glp_interior(P, parm)); }
int cg_intopt(glp_prob *P, const glp_iocp *parm, int *ret) { GUARDED(*ret = glp_intopt(P, parm)); }
int cg_factorize(glp_prob *P, int *ret) { GUARDED(*ret = glp_factorize(P)); }

int cg_warm_up(glp_prob *P, int *ret) { GUARDED(*ret = glp_warm_up(P)); }

int cg_analyze_bound(glp_prob *P, int k, double *value1, int *var1, double *value2, int *var2) {
  GUARDED(glp_analyze_bound(P, k, value1, var1, value2, var2));
}

int cg_analyze_coef(glp_prob *P, int k, double *coef1, int *var1, double *value1,
                    double *coef2, int *var2, double *value2) {
  GUARDED(glp_analyze_coef(P, k, coef1, var1, value1, coef2, var2, value2));
}

int cg_read_mps(glp_prob *P, int fmt, const char *fname, int *ret) { GUARDED(*ret = glp_read_mps(P, fmt, NULL, fname)); }
int cg_write_mps(glp_prob *P, int fmt, const char *fname, int *ret) { GUARDED(*ret = glp_write_mps(P, fmt, NULL, fname)); }
int cg_read_lp(glp_prob *P, const char *fname, int *ret) { GUARDED(*ret = glp_read_lp(P, NULL, fname)); }
int cg_write_lp(glp_prob *P, const char *fname, int *ret) { GUARDED(*ret = glp_write_lp(P, NULL, fname)); }

int cg_mpl_read_model(glp_tran *tran, const char *fname, int skip, int *ret) {
  GUARDED(*ret = glp_mpl_read_model(tran, fname, skip));
}
int cg_mpl_read_data(glp_tran *tran, const char *fname, int *ret) { GUARDED(*ret = glp_mpl_read_data(tran, fname)); }
int cg_mpl_generate(glp_tran *tran, const char *fname, int *ret) { GUARDED(*ret = glp_mpl_generate(tran, fname)); }
int cg_mpl_build_prob(glp_tran *tran, glp_prob *P) { GUARDED(glp_mpl_build_prob(tran, P)); }
int cg_mpl_postsolve(glp_tran *tran, glp_prob *P, int sol, int *ret) { GUARDED(*ret = glp_mpl_postsolve(tran, P, sol)); }

int cg_session_depth(int delta) {
  static _Thread_local int depth = 0;
  depth += delta;
  return depth;
}
