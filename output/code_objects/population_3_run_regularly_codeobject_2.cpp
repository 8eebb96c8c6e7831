#include "code_objects/population_3_run_regularly_codeobject_2.h"
#include "objects.h"
#include "brianlib/common_math.h"
#include "brianlib/stdint_compat.h"
#include<cmath>
#include<ctime>
#include<iostream>
#include<fstream>
#include<climits>

////// SUPPORT CODE ///////
namespace {
        
    template < typename T1, typename T2 > struct _higher_type;
    template < > struct _higher_type<int32_t,int32_t> { typedef int32_t type; };
    template < > struct _higher_type<int32_t,int64_t> { typedef int64_t type; };
    template < > struct _higher_type<int32_t,float> { typedef float type; };
    template < > struct _higher_type<int32_t,double> { typedef double type; };
    template < > struct _higher_type<int32_t,long double> { typedef long double type; };
    template < > struct _higher_type<int64_t,int32_t> { typedef int64_t type; };
    template < > struct _higher_type<int64_t,int64_t> { typedef int64_t type; };
    template < > struct _higher_type<int64_t,float> { typedef float type; };
    template < > struct _higher_type<int64_t,double> { typedef double type; };
    template < > struct _higher_type<int64_t,long double> { typedef long double type; };
    template < > struct _higher_type<float,int32_t> { typedef float type; };
    template < > struct _higher_type<float,int64_t> { typedef float type; };
    template < > struct _higher_type<float,float> { typedef float type; };
    template < > struct _higher_type<float,double> { typedef double type; };
    template < > struct _higher_type<float,long double> { typedef long double type; };
    template < > struct _higher_type<double,int32_t> { typedef double type; };
    template < > struct _higher_type<double,int64_t> { typedef double type; };
    template < > struct _higher_type<double,float> { typedef double type; };
    template < > struct _higher_type<double,double> { typedef double type; };
    template < > struct _higher_type<double,long double> { typedef long double type; };
    template < > struct _higher_type<long double,int32_t> { typedef long double type; };
    template < > struct _higher_type<long double,int64_t> { typedef long double type; };
    template < > struct _higher_type<long double,float> { typedef long double type; };
    template < > struct _higher_type<long double,double> { typedef long double type; };
    template < > struct _higher_type<long double,long double> { typedef long double type; };
    // General template, used for floating point types
    template < typename T1, typename T2 >
    static inline typename _higher_type<T1,T2>::type
    _brian_mod(T1 x, T2 y)
    {
        return x-y*floor(1.0*x/y);
    }
    // Specific implementations for integer types
    // (from Cython, see LICENSE file)
    template <>
    inline int32_t _brian_mod(int32_t x, int32_t y)
    {
        int32_t r = x % y;
        r += ((r != 0) & ((r ^ y) < 0)) * y;
        return r;
    }
    template <>
    inline int64_t _brian_mod(int32_t x, int64_t y)
    {
        int64_t r = x % y;
        r += ((r != 0) & ((r ^ y) < 0)) * y;
        return r;
    }
    template <>
    inline int64_t _brian_mod(int64_t x, int32_t y)
    {
        int64_t r = x % y;
        r += ((r != 0) & ((r ^ y) < 0)) * y;
        return r;
    }
    template <>
    inline int64_t _brian_mod(int64_t x, int64_t y)
    {
        int64_t r = x % y;
        r += ((r != 0) & ((r ^ y) < 0)) * y;
        return r;
    }
    // General implementation, used for floating point types
    template < typename T1, typename T2 >
    static inline typename _higher_type<T1,T2>::type
    _brian_floordiv(T1 x, T2 y)
    {{
        return floor(1.0*x/y);
    }}
    // Specific implementations for integer types
    // (from Cython, see LICENSE file)
    template <>
    inline int32_t _brian_floordiv<int32_t, int32_t>(int32_t a, int32_t b) {
        int32_t q = a / b;
        int32_t r = a - q*b;
        q -= ((r != 0) & ((r ^ b) < 0));
        return q;
    }
    template <>
    inline int64_t _brian_floordiv<int32_t, int64_t>(int32_t a, int64_t b) {
        int64_t q = a / b;
        int64_t r = a - q*b;
        q -= ((r != 0) & ((r ^ b) < 0));
        return q;
    }
    template <>
    inline int64_t _brian_floordiv<int64_t, int>(int64_t a, int32_t b) {
        int64_t q = a / b;
        int64_t r = a - q*b;
        q -= ((r != 0) & ((r ^ b) < 0));
        return q;
    }
    template <>
    inline int64_t _brian_floordiv<int64_t, int64_t>(int64_t a, int64_t b) {
        int64_t q = a / b;
        int64_t r = a - q*b;
        q -= ((r != 0) & ((r ^ b) < 0));
        return q;
    }
    #ifdef _MSC_VER
    #define _brian_pow(x, y) (pow((double)(x), (y)))
    #else
    #define _brian_pow(x, y) (pow((x), (y)))
    #endif

}

////// HASH DEFINES ///////



void _run_population_3_run_regularly_codeobject_2()
{
    using namespace brian;


    ///// CONSTANTS ///////////
    const int64_t N = 10;
const size_t _numa_mem = 10;
const size_t _numa_syn = 10;
const size_t _numarriving = 10;
const size_t _numbias = 10;
const size_t _numcur = 10;
const size_t _numleak = 10;
const size_t _numr = 10;
const size_t _numv = 10;
const size_t _numw_in = 10;
    ///// POINTERS ////////////
        
    double* __restrict  _ptr_array_population_3_a_mem = _array_population_3_a_mem;
    double* __restrict  _ptr_array_population_3_a_syn = _array_population_3_a_syn;
    double* __restrict  _ptr_array_population_3_arriving = _array_population_3_arriving;
    double* __restrict  _ptr_array_population_3_bias = _array_population_3_bias;
    double* __restrict  _ptr_array_population_3_cur = _array_population_3_cur;
    double* __restrict  _ptr_array_population_3_leak = _array_population_3_leak;
    double* __restrict  _ptr_array_population_3_r = _array_population_3_r;
    double* __restrict  _ptr_array_population_3_v = _array_population_3_v;
    double* __restrict  _ptr_array_population_3_w_in = _array_population_3_w_in;


    //// MAIN CODE ////////////
    // scalar code
    const size_t _vectorisation_idx = -1;
        


    const int _N = N;
    
    for(int _idx=0; _idx<_N; _idx++)
    {
        // vector code
        const size_t _vectorisation_idx = _idx;
                
        const double a_mem = _ptr_array_population_3_a_mem[_idx];
        const double a_syn = _ptr_array_population_3_a_syn[_idx];
        double arriving = _ptr_array_population_3_arriving[_idx];
        const double bias = _ptr_array_population_3_bias[_idx];
        double cur = _ptr_array_population_3_cur[_idx];
        const double leak = _ptr_array_population_3_leak[_idx];
        const double r = _ptr_array_population_3_r[_idx];
        double v = _ptr_array_population_3_v[_idx];
        const double w_in = _ptr_array_population_3_w_in[_idx];
        cur = (a_syn * cur) + (w_in * arriving);
        v = ((a_mem * v) + leak) + (r * (cur + bias));
        arriving = 0;
        _ptr_array_population_3_arriving[_idx] = arriving;
        _ptr_array_population_3_cur[_idx] = cur;
        _ptr_array_population_3_v[_idx] = v;

    }

}


