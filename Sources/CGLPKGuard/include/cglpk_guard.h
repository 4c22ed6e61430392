/* CGLPKGuard: the last-resort guard around GLPK calls that may hit a
 * fatal GLPK error (glp_error / glp_assert), which would otherwise call
 * abort() and kill the process.
 *
 * Each cglpk_* solve/IO wrapper installs glp_error_hook, calls the GLPK
 * routine between setjmp and return, and uninstalls the hook. If GLPK
 * reports a fatal error the hook longjmps back into the wrapper (a plain
 * C frame: no Swift frame is ever crossed), the wrapper calls
 * glp_free_env() -- which invalidates EVERY GLPK object of the calling
 * thread -- bumps this thread's environment generation, and reports
 * *fatal = 1. The Swift side compares generations and refuses to touch
 * (or delete) objects from a freed environment.
 *
 * The terminal capture routes GLPK's terminal output (glp_term_hook) into
 * a per-thread buffer, so translator errors and fatal-error text can be
 * turned into Swift error messages. Everything here is per thread, like
 * GLPK's own environment.
 */
#ifndef CGLPK_GUARD_H
#define CGLPK_GUARD_H

#include <stddef.h>
#include <stdint.h>
#include <glpk.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Identity ---------------------------------------------------------------- */

/** A number unique to the calling thread for the life of the process
 *  (never reused, unlike pthread_t). */
uint64_t cglpk_thread_id(void);

/** How many times the guard has freed the calling thread's GLPK
 *  environment. Objects created under an older generation are gone. */
uint64_t cglpk_env_generation(void);

/** A process-wide unique, non-zero number (for model identities). */
uint64_t cglpk_next_object_id(void);

/* Terminal capture --------------------------------------------------------- */

/** Start capturing GLPK terminal output on this thread: turns terminal
 *  output on and installs a hook that appends every line to a buffer.
 *  With echo != 0 the text is also printed to stdout as GLPK would.
 *  Calls nest; only the outermost begin/end pair takes effect. */
void cglpk_capture_begin(int echo);

/** Stop capturing (outermost call: uninstall the hook, turn terminal
 *  output off) and return the captured text, NUL-terminated, valid until
 *  the next cglpk_capture_begin on this thread. The buffer keeps at most
 *  the last ~1 MiB of text. */
const char *cglpk_capture_end(void);

/* MIP progress -------------------------------------------------------------- */

typedef struct cglpk_mip_progress {
    double best_bound;   /* bound of the best active node, if has_bound */
    double mip_gap;      /* relative gap as GLPK computes it, if has_gap */
    int has_bound;
    int has_gap;
    int tree_exhausted;  /* the last callback saw an empty active list */
} cglpk_mip_progress;

/* Guarded calls ------------------------------------------------------------- */
/* Each returns GLPK's own return code; if GLPK hit a fatal error, *fatal is
 * set to 1, the calling thread's environment has been freed, and the return
 * value is -1. */

int cglpk_simplex(glp_prob *P, const glp_smcp *parm, int *fatal);

/** glp_intopt with a callback that records gap and bound into progress
 *  (which may be NULL). parm->cb_func/cb_info are overwritten. */
int cglpk_intopt(glp_prob *P, glp_iocp *parm, cglpk_mip_progress *progress,
                 int *fatal);

int cglpk_write_mps(glp_prob *P, int fmt, const char *fname, int *fatal);
int cglpk_write_lp(glp_prob *P, const char *fname, int *fatal);
int cglpk_copy_prob(glp_prob *dest, glp_prob *src, int names, int *fatal);

int cglpk_mpl_read_model(glp_tran *T, const char *fname, int skip, int *fatal);
int cglpk_mpl_read_data(glp_tran *T, const char *fname, int *fatal);
int cglpk_mpl_generate(glp_tran *T, const char *fname, int *fatal);
int cglpk_mpl_build_prob(glp_tran *T, glp_prob *P, int *fatal);
int cglpk_mpl_postsolve(glp_tran *T, glp_prob *P, int sol, int *fatal);

/** For tests only: provokes a genuine GLPK fatal error (an out-of-range
 *  column number passed to glp_set_col_name) under the guard. */
int cglpk_provoke_fatal_error_for_testing(int *fatal);

#ifdef __cplusplus
}
#endif

#endif
