#include "cglpk_guard.h"

#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Identity ---------------------------------------------------------------- */

static _Atomic uint64_t next_thread_id = 0;
static _Atomic uint64_t next_object_id = 0;
static _Thread_local uint64_t this_thread_id = 0;
static _Thread_local uint64_t env_generation = 0;

uint64_t cglpk_thread_id(void)
{
    if (this_thread_id == 0)
        this_thread_id = atomic_fetch_add(&next_thread_id, 1) + 1;
    return this_thread_id;
}

uint64_t cglpk_env_generation(void) { return env_generation; }

uint64_t cglpk_next_object_id(void)
{
    return atomic_fetch_add(&next_object_id, 1) + 1;
}

/* Terminal capture --------------------------------------------------------- */

#define CAPTURE_LIMIT (1u << 20)

typedef struct {
    char *buf;
    size_t len;
    size_t cap;
    int depth;
    int echo;
} capture_state;

static _Thread_local capture_state capture = { NULL, 0, 0, 0, 0 };

static void capture_append(const char *s)
{
    size_t n = strlen(s);
    if (n >= CAPTURE_LIMIT) {            /* keep the tail of a huge line */
        s += n - (CAPTURE_LIMIT / 2);
        n = CAPTURE_LIMIT / 2;
    }
    if (capture.len + n >= CAPTURE_LIMIT) {   /* drop the older half */
        size_t drop = capture.len / 2;
        if (capture.len + n - drop >= CAPTURE_LIMIT)
            drop = capture.len;
        memmove(capture.buf, capture.buf + drop, capture.len - drop);
        capture.len -= drop;
    }
    if (capture.len + n + 1 > capture.cap) {
        size_t cap = capture.cap ? capture.cap : 4096;
        while (cap < capture.len + n + 1)
            cap *= 2;
        char *grown = realloc(capture.buf, cap);
        if (grown == NULL)
            return;                       /* out of memory: drop the text */
        capture.buf = grown;
        capture.cap = cap;
    }
    memcpy(capture.buf + capture.len, s, n);
    capture.len += n;
    capture.buf[capture.len] = '\0';
}

static int capture_hook(void *info, const char *s)
{
    (void)info;
    capture_append(s);
    return capture.echo ? 0 : 1;        /* non-zero: GLPK prints nothing */
}

void cglpk_capture_begin(int echo)
{
    if (capture.depth++ > 0)
        return;
    capture.len = 0;
    if (capture.buf != NULL)
        capture.buf[0] = '\0';
    capture.echo = echo;
    glp_term_hook(capture_hook, NULL);
    glp_term_out(GLP_ON);
}

const char *cglpk_capture_end(void)
{
    if (capture.depth > 0 && --capture.depth > 0)
        return capture.buf != NULL ? capture.buf : "";
    /* If a fatal error freed the environment, these calls simply create a
     * fresh one, which is what the next GLPK call would do anyway. */
    glp_term_hook(NULL, NULL);
    glp_term_out(GLP_OFF);
    return capture.buf != NULL ? capture.buf : "";
}

/* The guard ------------------------------------------------------------------ */

typedef struct { jmp_buf env; } guard_frame;

static void guard_hook(void *info)
{
    /* Called by glp_error after it printed the message (through our
     * terminal hook, if capturing). Jump back into the C wrapper. */
    longjmp(((guard_frame *)info)->env, 1);
}

static void guard_after_fatal(void)
{
    /* GLPK's documented recovery: the environment is in an undefined
     * state, so free all of it. Every problem object and translator
     * workspace of this thread is gone after this call. */
    glp_free_env();
    env_generation++;
    /* Re-establish a quiet environment with the capture hook (if a
     * capture is in progress) so that later output is still routed. */
    if (capture.depth > 0) {
        glp_term_hook(capture_hook, NULL);
        glp_term_out(GLP_ON);
    } else {
        glp_term_out(GLP_OFF);
    }
}

/* GUARDED(expr): evaluates expr (an int expression) under the hook. */
#define GUARDED(result, expr)                                   \
    do {                                                        \
        guard_frame frame_;                                     \
        *fatal = 0;                                             \
        if (setjmp(frame_.env) != 0) {                          \
            guard_after_fatal();                                \
            *fatal = 1;                                         \
            return -1;                                          \
        }                                                       \
        glp_error_hook(guard_hook, &frame_);                    \
        result = (expr);                                        \
        glp_error_hook(NULL, NULL);                             \
    } while (0)

int cglpk_simplex(glp_prob *P, const glp_smcp *parm, int *fatal)
{
    int rc;
    GUARDED(rc, glp_simplex(P, parm));
    return rc;
}

static void mip_callback(glp_tree *T, void *info)
{
    cglpk_mip_progress *p = (cglpk_mip_progress *)info;
    int reason = glp_ios_reason(T);
    if (reason != GLP_ISELECT && reason != GLP_IBINGO)
        return;
    int best = glp_ios_best_node(T);
    if (best == 0) {
        p->tree_exhausted = 1;
        return;
    }
    p->tree_exhausted = 0;
    p->best_bound = glp_ios_node_bound(T, best);
    p->has_bound = 1;
    double gap = glp_ios_mip_gap(T);
    if (gap < 1e300) {               /* DBL_MAX means "no incumbent yet" */
        p->mip_gap = gap;
        p->has_gap = 1;
    }
}

int cglpk_intopt(glp_prob *P, glp_iocp *parm, cglpk_mip_progress *progress,
                 int *fatal)
{
    int rc;
    if (progress != NULL) {
        memset(progress, 0, sizeof *progress);
        parm->cb_func = mip_callback;
        parm->cb_info = progress;
    } else {
        parm->cb_func = NULL;
        parm->cb_info = NULL;
    }
    GUARDED(rc, glp_intopt(P, parm));
    return rc;
}

int cglpk_write_mps(glp_prob *P, int fmt, const char *fname, int *fatal)
{
    int rc;
    GUARDED(rc, glp_write_mps(P, fmt, NULL, fname));
    return rc;
}

int cglpk_write_lp(glp_prob *P, const char *fname, int *fatal)
{
    int rc;
    GUARDED(rc, glp_write_lp(P, NULL, fname));
    return rc;
}

int cglpk_copy_prob(glp_prob *dest, glp_prob *src, int names, int *fatal)
{
    int rc;
    GUARDED(rc, (glp_copy_prob(dest, src, names), 0));
    return rc;
}

int cglpk_mpl_read_model(glp_tran *T, const char *fname, int skip, int *fatal)
{
    int rc;
    GUARDED(rc, glp_mpl_read_model(T, fname, skip));
    return rc;
}

int cglpk_mpl_read_data(glp_tran *T, const char *fname, int *fatal)
{
    int rc;
    GUARDED(rc, glp_mpl_read_data(T, fname));
    return rc;
}

int cglpk_mpl_generate(glp_tran *T, const char *fname, int *fatal)
{
    int rc;
    GUARDED(rc, glp_mpl_generate(T, fname));
    return rc;
}

int cglpk_mpl_build_prob(glp_tran *T, glp_prob *P, int *fatal)
{
    int rc;
    GUARDED(rc, (glp_mpl_build_prob(T, P), 0));
    return rc;
}

int cglpk_mpl_postsolve(glp_tran *T, glp_prob *P, int sol, int *fatal)
{
    int rc;
    GUARDED(rc, glp_mpl_postsolve(T, P, sol));
    return rc;
}

static int provoke(void)
{
    glp_prob *P = glp_create_prob();
    glp_add_cols(P, 1);
    glp_set_col_name(P, 2, "out_of_range");   /* fatal: j = 2 > n = 1 */
    glp_delete_prob(P);                       /* not reached */
    return 0;
}

int cglpk_provoke_fatal_error_for_testing(int *fatal)
{
    int rc;
    GUARDED(rc, provoke());
    return rc;
}
