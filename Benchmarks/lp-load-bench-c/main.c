/*
 * lp-load-bench-c: generate a sparse LP deterministically and load it into
 * GLPK through the plain C API, as the baseline for the Swift benchmark
 * (Benchmarks/lp-load-bench), which must build THE SAME model.
 *
 * Usage: lp-load-bench-c [m [n [k]]] [--solve]
 *   m = rows (default 100000), n = columns (default 100000),
 *   k = non-zeros per row (default 10, must be 1 <= k <= n),
 *   --solve also runs glp_simplex (default parameters) after loading.
 *
 * THE GENERATOR (copy it exactly; all integers are unsigned 64-bit, all
 * indices below are 0-based, GLPK's are these + 1):
 *
 *   Random source: a 64-bit LCG, state starts at 42 and is shared by the
 *   whole run (never reseeded per row):
 *       state = state * 6364136223846793005 + 1442695040888963407  (mod 2^64)
 *       lcg() = state >> 33
 *
 *   Rows i = 0, 1, ..., m-1 in order; within a row, j = 0, 1, ..., k-1 in
 *   order, and for each j exactly two lcg() calls, column draw first:
 *       c    = (i * 7919 + j * 104729 + (lcg() % 13)) % n
 *       while c equals a column already chosen in THIS row (for j' < j):
 *           c = (c + 1) % n
 *       col[i][j]  = c
 *       coef[i][j] = 1.0 + (double)(lcg() % 1000) / 100.0
 *   (the duplicate walk draws no random numbers; the coefficient draw comes
 *   after the walk.) Entries are loaded in exactly this order: non-zero
 *   number p = i * k + j + 1 (1-based) has ia[p] = i + 1, ja[p] = c + 1,
 *   ar[p] = coef.
 *
 *   Row i:    name "r<i>" (decimal, 0-based: r0 .. r<m-1>),
 *             GLP_UP, row <= 1000 + (i % 100)   (lower bound 0 is ignored).
 *   Column j: name "x<j>" (x0 .. x<n-1>), GLP_DB, 0 <= x <= 100,
 *             objective coefficient 1.0 + (j % 17) / 10.0.
 *   Objective direction GLP_MAX, constant term 0. No problem name.
 *
 * Timing (CLOCK_MONOTONIC):
 *   generate_ms: computing the triplet arrays (ia/ja/ar) plus row upper bounds
 *                and objective coefficients in plain C arrays;
 *   load_ms:     glp_create_prob, glp_set_obj_dir, glp_add_rows, glp_add_cols,
 *                formatting the names and glp_set_row_name/glp_set_col_name,
 *                glp_set_row_bnds/glp_set_col_bnds, glp_set_obj_coef and
 *                glp_load_matrix;
 *   total_ms:    generate + load (solve excluded; reported as solve_ms).
 *   peak_rss_mb: getrusage(RUSAGE_SELF).ru_maxrss (KB on Linux) / 1024,
 *                taken after loading (and after solving with --solve).
 *
 * Output: one JSON line on stdout. "glpk_nonzeros" is glp_get_num_nz(P);
 * "duplicate_steps" counts the (c + 1) % n steps taken; "col_sum" (sum of the
 * 0-based column indices) and "coef_sum" (sum of the coefficients, added in
 * load order, printed with 2 decimals) fingerprint the matrix.
 */
#include <glpk.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static uint64_t lcg_state = 42ULL;

static uint64_t lcg(void) {
  lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
  return lcg_state >> 33;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1.0e6;
}

static double peak_rss_mb(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return -1.0;
#if defined(__APPLE__)
  return (double)ru.ru_maxrss / (1024.0 * 1024.0); /* bytes on macOS */
#else
  return (double)ru.ru_maxrss / 1024.0; /* KB on Linux */
#endif
}

static int parse_positive(const char *s, long *out) {
  char *end = NULL;
  long v = strtol(s, &end, 10);
  if (end == s || *end != '\0' || v <= 0 || v > 1000000000L) return 0;
  *out = v;
  return 1;
}

static const char *status_name(int st) {
  switch (st) {
    case GLP_OPT: return "optimal";
    case GLP_FEAS: return "feasible";
    case GLP_INFEAS: return "infeasible";
    case GLP_NOFEAS: return "no_feasible";
    case GLP_UNBND: return "unbounded";
    case GLP_UNDEF: return "undefined";
    default: return "unknown";
  }
}

int main(int argc, char **argv) {
  long dims[3] = {100000, 100000, 10};
  int ndims = 0;
  int do_solve = 0;

  for (int a = 1; a < argc; a++) {
    if (strcmp(argv[a], "--solve") == 0) {
      do_solve = 1;
    } else if (strcmp(argv[a], "-h") == 0 || strcmp(argv[a], "--help") == 0) {
      printf("usage: %s [rows [cols [nonzeros_per_row]]] [--solve]\n", argv[0]);
      return 0;
    } else if (ndims < 3 && parse_positive(argv[a], &dims[ndims])) {
      ndims++;
    } else {
      fprintf(stderr, "lp-load-bench-c: bad argument '%s'\n", argv[a]);
      return 2;
    }
  }
  const uint64_t m = (uint64_t)dims[0], n = (uint64_t)dims[1], k = (uint64_t)dims[2];
  if (k > n) {
    fprintf(stderr, "lp-load-bench-c: nonzeros per row (%llu) exceeds columns (%llu)\n",
            (unsigned long long)k, (unsigned long long)n);
    return 2;
  }
  const uint64_t nz = m * k;
  if (nz > (uint64_t)INT32_MAX - 1 || m > (uint64_t)INT32_MAX || n > (uint64_t)INT32_MAX) {
    fprintf(stderr, "lp-load-bench-c: model too large for GLPK's int indices\n");
    return 2;
  }

  glp_term_out(GLP_OFF);

  /* ---- generate ---- */
  double t0 = now_ms();
  int *ia = malloc((nz + 1) * sizeof *ia);
  int *ja = malloc((nz + 1) * sizeof *ja);
  double *ar = malloc((nz + 1) * sizeof *ar);
  double *row_ub = malloc(m * sizeof *row_ub);
  double *obj = malloc(n * sizeof *obj);
  uint64_t *rowcols = malloc(k * sizeof *rowcols);
  if (!ia || !ja || !ar || !row_ub || !obj || !rowcols) {
    fprintf(stderr, "lp-load-bench-c: out of memory\n");
    return 1;
  }
  uint64_t duplicate_steps = 0;
  size_t p = 1;
  for (uint64_t i = 0; i < m; i++) {
    for (uint64_t j = 0; j < k; j++) {
      uint64_t c = (i * 7919ULL + j * 104729ULL + (lcg() % 13ULL)) % n;
      for (;;) {
        int dup = 0;
        for (uint64_t q = 0; q < j; q++) {
          if (rowcols[q] == c) { dup = 1; break; }
        }
        if (!dup) break;
        c = (c + 1) % n;
        duplicate_steps++;
      }
      rowcols[j] = c;
      double coef = 1.0 + (double)(lcg() % 1000ULL) / 100.0;
      ia[p] = (int)(i + 1);
      ja[p] = (int)(c + 1);
      ar[p] = coef;
      p++;
    }
    row_ub[i] = 1000.0 + (double)(i % 100ULL);
  }
  for (uint64_t j = 0; j < n; j++) obj[j] = 1.0 + (double)(j % 17ULL) / 10.0;
  double t1 = now_ms();

  /* ---- load ---- */
  glp_prob *P = glp_create_prob();
  glp_set_obj_dir(P, GLP_MAX);
  glp_add_rows(P, (int)m);
  glp_add_cols(P, (int)n);
  char name[32];
  for (uint64_t i = 0; i < m; i++) {
    snprintf(name, sizeof name, "r%llu", (unsigned long long)i);
    glp_set_row_name(P, (int)(i + 1), name);
    glp_set_row_bnds(P, (int)(i + 1), GLP_UP, 0.0, row_ub[i]);
  }
  for (uint64_t j = 0; j < n; j++) {
    snprintf(name, sizeof name, "x%llu", (unsigned long long)j);
    glp_set_col_name(P, (int)(j + 1), name);
    glp_set_col_bnds(P, (int)(j + 1), GLP_DB, 0.0, 100.0);
    glp_set_obj_coef(P, (int)(j + 1), obj[j]);
  }
  glp_load_matrix(P, (int)nz, ia, ja, ar);
  double t2 = now_ms();

  /* Fingerprint of the generated triplets (outside the timings), so the Swift
   * side can prove it built the same model: the sum of the 0-based column
   * indices and the sum of the coefficients, both in load order. */
  uint64_t col_sum = 0;
  double coef_sum = 0.0;
  for (size_t q = 1; q <= nz; q++) {
    col_sum += (uint64_t)(ja[q] - 1);
    coef_sum += ar[q];
  }

  int glpk_nz = glp_get_num_nz(P);
  int glpk_rows = glp_get_num_rows(P);
  int glpk_cols = glp_get_num_cols(P);

  /* ---- optional solve ---- */
  double solve_ms = 0.0;
  int ret = 0, status = 0;
  double objval = 0.0;
  if (do_solve) {
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    double s0 = now_ms();
    ret = glp_simplex(P, &parm);
    solve_ms = now_ms() - s0;
    status = glp_get_status(P);
    objval = glp_get_obj_val(P);
  }

  double rss = peak_rss_mb();

  printf("{\"impl\":\"c\",\"rows\":%d,\"cols\":%d,\"nonzeros\":%llu,\"glpk_nonzeros\":%d,",
         glpk_rows, glpk_cols, (unsigned long long)nz, glpk_nz);
  printf("\"duplicate_steps\":%llu,\"col_sum\":%llu,\"coef_sum\":%.2f,",
         (unsigned long long)duplicate_steps, (unsigned long long)col_sum, coef_sum);
  printf("\"generate_ms\":%.1f,\"load_ms\":%.1f,\"total_ms\":%.1f,\"peak_rss_mb\":%.1f", t1 - t0,
         t2 - t1, t2 - t0, rss);
  if (do_solve) {
    printf(",\"solve_ms\":%.1f,\"simplex_ret\":%d,\"status\":\"%s\",\"objective\":%.6f", solve_ms,
           ret, status_name(status), objval);
  }
  printf("}\n");

  glp_delete_prob(P);
  free(ia);
  free(ja);
  free(ar);
  free(row_ub);
  free(obj);
  free(rowcols);
  glp_free_env();

  int bad = (glpk_nz != (int)nz);
  if (bad) fprintf(stderr, "lp-load-bench-c: GLPK reports %d non-zeros, expected %llu\n", glpk_nz,
                   (unsigned long long)nz);
  return bad ? 1 : 0;
}
