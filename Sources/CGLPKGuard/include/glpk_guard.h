#ifndef CAPPLAN_GLPK_GUARD_H
#define CAPPLAN_GLPK_GUARD_H

#include <glpk.h>

/* Each wrapper runs one GLPK call with an error hook installed. If GLPK hits a
 * fatal error it would call abort(); instead the hook longjmps back here and
 * the wrapper returns CG_FATAL. Only GLPK's own C frames and this wrapper are
 * unwound, never a Swift frame. After CG_FATAL the thread's GLPK environment
 * is inconsistent: the caller must not touch any GLPK object of this thread
 * again and must call glp_free_env(). On success the wrapper returns CG_OK and
 * stores GLPK's own return code in *ret. */
enum { CG_OK = 0, CG_FATAL = -1, CG_STOPPED = -2 };

/* GLPK's terminal output goes to `output` (return non-zero: handled). While a
 * guarded call runs, every line GLPK prints also asks `poll` (if set) whether
 * to stop; if it says yes, the call is left as after a fatal error (the same
 * rules follow) but the wrapper returns CG_STOPPED. GLPK prints only at
 * msg_lev GLP_MSG_ON or above: the simplex every out_frq ms, the interior
 * point every iteration. Both settings are per thread. */
typedef int (*cg_output_fn)(void *info, const char *s);
typedef int (*cg_poll_fn)(void *info);
void cg_term_hook(cg_output_fn output, void *info);
void cg_set_poll(cg_poll_fn poll, void *info);

int cg_simplex(glp_prob *P, const glp_smcp *parm, int *ret);
int cg_interior(glp_prob *P, const glp_iptcp *parm, int *ret);
int cg_intopt(glp_prob *P, const glp_iocp *parm, int *ret);
int cg_factorize(glp_prob *P, int *ret);
/* Computes the basic solution of the current basis, without an iteration. */
int cg_warm_up(glp_prob *P, int *ret);
int cg_analyze_bound(glp_prob *P, int k, double *value1, int *var1, double *value2, int *var2);
int cg_analyze_coef(glp_prob *P, int k, double *coef1, int *var1, double *value1,
                    double *coef2, int *var2, double *value2);

int cg_read_mps(glp_prob *P, int fmt, const char *fname, int *ret);
int cg_write_mps(glp_prob *P, int fmt, const char *fname, int *ret);
int cg_read_lp(glp_prob *P, const char *fname, int *ret);
int cg_write_lp(glp_prob *P, const char *fname, int *ret);

int cg_mpl_read_model(glp_tran *tran, const char *fname, int skip, int *ret);
int cg_mpl_read_data(glp_tran *tran, const char *fname, int *ret);
int cg_mpl_generate(glp_tran *tran, const char *fname, int *ret);
int cg_mpl_build_prob(glp_tran *tran, glp_prob *P);
int cg_mpl_postsolve(glp_tran *tran, glp_prob *P, int sol, int *ret);



/* Depth of nested GLPK sessions on the calling thread, after adding delta.
 * Only the outermost session frees the thread's GLPK environment. */
int cg_session_depth(int delta);
#endif
