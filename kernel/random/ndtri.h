/* The inverse of the standard normal CDF, the same bits as scipy.special.ndtri (Cephes'
 * ndtri by S. L. Moshier, as SciPy's xsf library evaluates it: the same rational
 * approximations, coefficients and order of operations, and libm's log and sqrt).
 *
 * For 0.135 < y <= 0.865 (exp(-2) < y <= 1 - exp(-2), 73 % of uniforms) the value is a
 * rational function of y - 0.5; that branch is computed for every entry in a loop the
 * compiler vectorizes (no fused multiply-adds: the build sets -ffp-contract=off). The tails
 * go through sqrt(-2 log y) one by one afterwards. */
#ifndef NEUROPIL_NDTRI_H
#define NEUROPIL_NDTRI_H
#include <math.h>
#include <stdint.h>
#include "clones.h"

#define NP_EXP_M2 0.13533528323661269189            /* exp(-2) */
#define NP_SQRT2PI 2.50662827463100050242

/* |y - 0.5| <= 3/8 */
static const double np_ndtri_p0[5] = {
    -5.99633501014107895267E1, 9.80010754185999661536E1, -5.66762857469070293439E1,
    1.39312609387279679503E1, -1.23916583867381258016E0};
static const double np_ndtri_q0[8] = {     /* leading coefficient 1 */
    1.95448858338141759834E0, 4.67627912898881538453E0, 8.63602421390890590575E1,
    -2.25462687854119370527E2, 2.00260212380060660359E2, -8.20372256168333339912E1,
    1.59056225126211695515E1, -1.18331621121330003142E0};
/* sqrt(-2 log y) in [2, 8) */
static const double np_ndtri_p1[9] = {
    4.05544892305962419923E0, 3.15251094599893866154E1, 5.71628192246421288162E1,
    4.40805073893200834700E1, 1.46849561928858024014E1, 2.18663306850790267539E0,
    -1.40256079171354495875E-1, -3.50424626827848203418E-2, -8.57456785154685413611E-4};
static const double np_ndtri_q1[8] = {
    1.57799883256466749731E1, 4.53907635128879210584E1, 4.13172038254672030440E1,
    1.50425385692907503408E1, 2.50464946208309415979E0, -1.42182922854787788574E-1,
    -3.80806407691578277194E-2, -9.33259480895457427372E-4};
/* sqrt(-2 log y) in [8, 64] */
static const double np_ndtri_p2[9] = {
    3.23774891776946035970E0, 6.91522889068984211695E0, 3.93881025292474443415E0,
    1.33303460815807542389E0, 2.01485389549179081538E-1, 1.23716634817820021358E-2,
    3.01581553508235416007E-4, 2.65806974686737550832E-6, 6.23974539184983293730E-9};
static const double np_ndtri_q2[8] = {
    6.02427039364742014255E0, 3.67983563856160859403E0, 1.37702099489081330271E0,
    2.16236993594496635890E-1, 1.34204006088543189037E-2, 3.28014464682127739104E-4,
    2.89247864745380683936E-6, 6.79019408009981274425E-9};

/* c[0] x^n + ... + c[n], by Horner's rule */
static inline __attribute__((always_inline))
double np_poly(double x, const double *c, int n)
{
    double r = c[0];
    for (int i = 1; i <= n; i++)
        r = r * x + c[i];
    return r;
}

/* x^n + c[0] x^(n-1) + ... + c[n-1] */
static inline __attribute__((always_inline))
double np_poly1(double x, const double *c, int n)
{
    double r = x + c[0];
    for (int i = 1; i < n; i++)
        r = r * x + c[i];
    return r;
}

static inline int np_ndtri_central(double y)
{
    return !(y > 1.0 - NP_EXP_M2) && y > NP_EXP_M2;
}

/* y outside the central interval: -inf at 0, +inf at 1, NaN outside [0, 1] */
static double np_ndtri_tail(double y0)
{
    double y = y0, x, x0, x1, z;
    int negative = 1;
    if (y0 == 0.0)
        return -INFINITY;
    if (y0 == 1.0)
        return INFINITY;
    if (y0 < 0.0 || y0 > 1.0)
        return NAN;
    if (y > 1.0 - NP_EXP_M2) {
        y = 1.0 - y;
        negative = 0;
    }
    x = sqrt(-2.0 * log(y));
    x0 = x - log(x) / x;
    z = 1.0 / x;
    if (x < 8.0)
        x1 = z * np_poly(z, np_ndtri_p1, 8) / np_poly1(z, np_ndtri_q1, 8);
    else
        x1 = z * np_poly(z, np_ndtri_p2, 8) / np_poly1(z, np_ndtri_q2, 8);
    x = x0 - x1;
    return negative ? -x : x;
}

/* out[i] = ndtri(u[i]) for i < n (out may be u): a chunk's central values in a vectorized
 * loop, then the chunk's entries one by one, the tails computed there */
#define NP_NDTRI_CHUNK 256
NP_CLONES
static void np_ndtri(const double *u, int64_t n, double *out)
{
    double central[NP_NDTRI_CHUNK];
    for (int64_t i0 = 0; i0 < n; i0 += NP_NDTRI_CHUNK) {
        int64_t m = n - i0 < NP_NDTRI_CHUNK ? n - i0 : NP_NDTRI_CHUNK;
        for (int64_t j = 0; j < m; j++) {
            double y = u[i0 + j] - 0.5, y2 = y * y;
            double x = y + y * (y2 * np_poly(y2, np_ndtri_p0, 4) / np_poly1(y2, np_ndtri_q0, 8));
            central[j] = x * NP_SQRT2PI;
        }
        for (int64_t j = 0; j < m; j++) {
            double y = u[i0 + j];
            out[i0 + j] = np_ndtri_central(y) ? central[j] : np_ndtri_tail(y);
        }
    }
}
#endif
