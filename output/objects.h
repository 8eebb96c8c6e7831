
#ifndef _BRIAN_OBJECTS_H
#define _BRIAN_OBJECTS_H

#include "synapses_classes.h"
#include "brianlib/clocks.h"
#include "brianlib/dynamic_array.h"
#include "brianlib/stdint_compat.h"
#include "network.h"
#include<random>
#include<vector>


namespace brian {

extern std::string results_dir;

class RandomGenerator {
    private:
        std::mt19937 gen;
        double stored_gauss;
        bool has_stored_gauss = false;
    public:
        RandomGenerator() {
            seed();
        }
        void seed() {
            std::random_device rd;
            gen.seed(rd());
            has_stored_gauss = false;
        }
        void seed(unsigned long seed) {
            gen.seed(seed);
            has_stored_gauss = false;
        }
        double rand() {
            /* shifts : 67108864 = 0x4000000, 9007199254740992 = 0x20000000000000 */
            const long a = gen() >> 5;
            const long b = gen() >> 6;
            return (a * 67108864.0 + b) / 9007199254740992.0;
        }

        double randn() {
            if (has_stored_gauss) {
                const double tmp = stored_gauss;
                has_stored_gauss = false;
                return tmp;
            }
            else {
                double f, x1, x2, r2;

                do {
                    x1 = 2.0*rand() - 1.0;
                    x2 = 2.0*rand() - 1.0;
                    r2 = x1*x1 + x2*x2;
                }
                while (r2 >= 1.0 || r2 == 0.0);

                /* Box-Muller transform */
                f = sqrt(-2.0*log(r2)/r2);
                /* Keep for next call */
                stored_gauss = f*x1;
                has_stored_gauss = true;
                return f*x2;
            }
        }
};

// In OpenMP we need one state per thread
extern std::vector< RandomGenerator > _random_generators;

//////////////// clocks ///////////////////
extern Clock clock_1;

//////////////// networks /////////////////
extern Network network;



void set_variable_by_name(std::string, std::string);

//////////////// dynamic arrays ///////////
extern std::vector<int32_t> _dynamic_array_projection_0__synaptic_post;
extern std::vector<int32_t> _dynamic_array_projection_0__synaptic_pre;
extern std::vector<double> _dynamic_array_projection_0_delay;
extern std::vector<int32_t> _dynamic_array_projection_0_N_incoming;
extern std::vector<int32_t> _dynamic_array_projection_0_N_outgoing;
extern std::vector<double> _dynamic_array_projection_0_w;
extern std::vector<int32_t> _dynamic_array_projection_1__synaptic_post;
extern std::vector<int32_t> _dynamic_array_projection_1__synaptic_pre;
extern std::vector<double> _dynamic_array_projection_1_delay;
extern std::vector<int32_t> _dynamic_array_projection_1_N_incoming;
extern std::vector<int32_t> _dynamic_array_projection_1_N_outgoing;
extern std::vector<double> _dynamic_array_projection_1_w;
extern std::vector<int32_t> _dynamic_array_projection_2__synaptic_post;
extern std::vector<int32_t> _dynamic_array_projection_2__synaptic_pre;
extern std::vector<double> _dynamic_array_projection_2_delay;
extern std::vector<int32_t> _dynamic_array_projection_2_N_incoming;
extern std::vector<int32_t> _dynamic_array_projection_2_N_outgoing;
extern std::vector<double> _dynamic_array_projection_2_w;

//////////////// arrays ///////////////////
extern double *_array_clock_1_dt;
extern const int _num__array_clock_1_dt;
extern double *_array_clock_1_t;
extern const int _num__array_clock_1_t;
extern int64_t *_array_clock_1_timestep;
extern const int _num__array_clock_1_timestep;
extern double *_array_defaultclock_dt;
extern const int _num__array_defaultclock_dt;
extern double *_array_defaultclock_t;
extern const int _num__array_defaultclock_t;
extern int64_t *_array_defaultclock_timestep;
extern const int _num__array_defaultclock_timestep;
extern int32_t *_array_input_0__spikespace;
extern const int _num__array_input_0__spikespace;
extern int32_t *_array_input_0_column;
extern const int _num__array_input_0_column;
extern int32_t *_array_input_0_i;
extern const int _num__array_input_0_i;
extern double *_array_input_0_x;
extern const int _num__array_input_0_x;
extern int32_t *_array_population_1__spikespace;
extern const int _num__array_population_1__spikespace;
extern double *_array_population_1_a_mem;
extern const int _num__array_population_1_a_mem;
extern double *_array_population_1_a_syn;
extern const int _num__array_population_1_a_syn;
extern double *_array_population_1_arriving;
extern const int _num__array_population_1_arriving;
extern double *_array_population_1_bias;
extern const int _num__array_population_1_bias;
extern double *_array_population_1_cur;
extern const int _num__array_population_1_cur;
extern int32_t *_array_population_1_i;
extern const int _num__array_population_1_i;
extern double *_array_population_1_leak;
extern const int _num__array_population_1_leak;
extern double *_array_population_1_r;
extern const int _num__array_population_1_r;
extern double *_array_population_1_v;
extern const int _num__array_population_1_v;
extern double *_array_population_1_v_reset;
extern const int _num__array_population_1_v_reset;
extern double *_array_population_1_v_threshold;
extern const int _num__array_population_1_v_threshold;
extern double *_array_population_1_w_in;
extern const int _num__array_population_1_w_in;
extern int32_t *_array_population_2__spikespace;
extern const int _num__array_population_2__spikespace;
extern double *_array_population_2_a_mem;
extern const int _num__array_population_2_a_mem;
extern double *_array_population_2_a_syn;
extern const int _num__array_population_2_a_syn;
extern double *_array_population_2_arriving;
extern const int _num__array_population_2_arriving;
extern double *_array_population_2_bias;
extern const int _num__array_population_2_bias;
extern double *_array_population_2_cur;
extern const int _num__array_population_2_cur;
extern int32_t *_array_population_2_i;
extern const int _num__array_population_2_i;
extern double *_array_population_2_leak;
extern const int _num__array_population_2_leak;
extern double *_array_population_2_r;
extern const int _num__array_population_2_r;
extern double *_array_population_2_v;
extern const int _num__array_population_2_v;
extern double *_array_population_2_v_reset;
extern const int _num__array_population_2_v_reset;
extern double *_array_population_2_v_threshold;
extern const int _num__array_population_2_v_threshold;
extern double *_array_population_2_w_in;
extern const int _num__array_population_2_w_in;
extern int32_t *_array_population_3__spikespace;
extern const int _num__array_population_3__spikespace;
extern double *_array_population_3_a_mem;
extern const int _num__array_population_3_a_mem;
extern double *_array_population_3_a_syn;
extern const int _num__array_population_3_a_syn;
extern double *_array_population_3_arriving;
extern const int _num__array_population_3_arriving;
extern double *_array_population_3_bias;
extern const int _num__array_population_3_bias;
extern double *_array_population_3_cur;
extern const int _num__array_population_3_cur;
extern int32_t *_array_population_3_i;
extern const int _num__array_population_3_i;
extern double *_array_population_3_leak;
extern const int _num__array_population_3_leak;
extern double *_array_population_3_r;
extern const int _num__array_population_3_r;
extern double *_array_population_3_v;
extern const int _num__array_population_3_v;
extern double *_array_population_3_v_reset;
extern const int _num__array_population_3_v_reset;
extern double *_array_population_3_v_threshold;
extern const int _num__array_population_3_v_threshold;
extern double *_array_population_3_w_in;
extern const int _num__array_population_3_w_in;
extern int32_t *_array_projection_0_N;
extern const int _num__array_projection_0_N;
extern int32_t *_array_projection_0_sources;
extern const int _num__array_projection_0_sources;
extern int32_t *_array_projection_0_targets;
extern const int _num__array_projection_0_targets;
extern int32_t *_array_projection_1_N;
extern const int _num__array_projection_1_N;
extern int32_t *_array_projection_1_sources;
extern const int _num__array_projection_1_sources;
extern int32_t *_array_projection_1_targets;
extern const int _num__array_projection_1_targets;
extern int32_t *_array_projection_2_N;
extern const int _num__array_projection_2_N;
extern int32_t *_array_projection_2_sources;
extern const int _num__array_projection_2_sources;
extern int32_t *_array_projection_2_targets;
extern const int _num__array_projection_2_targets;
extern int32_t *_array_spikes_1__source_idx;
extern const int _num__array_spikes_1__source_idx;
extern int32_t *_array_spikes_1_count;
extern const int _num__array_spikes_1_count;
extern int32_t *_array_spikes_1_N;
extern const int _num__array_spikes_1_N;
extern int32_t *_array_spikes_2__source_idx;
extern const int _num__array_spikes_2__source_idx;
extern int32_t *_array_spikes_2_count;
extern const int _num__array_spikes_2_count;
extern int32_t *_array_spikes_2_N;
extern const int _num__array_spikes_2_N;
extern int32_t *_array_spikes_3__source_idx;
extern const int _num__array_spikes_3__source_idx;
extern int32_t *_array_spikes_3_count;
extern const int _num__array_spikes_3_count;
extern int32_t *_array_spikes_3_N;
extern const int _num__array_spikes_3_N;

//////////////// dynamic arrays 2d /////////

/////////////// static arrays /////////////
extern int64_t *_static_array__array_input_0_column;
extern const int _num__static_array__array_input_0_column;
extern double *_static_array__array_population_1_a_mem;
extern const int _num__static_array__array_population_1_a_mem;
extern double *_static_array__array_population_1_a_syn;
extern const int _num__static_array__array_population_1_a_syn;
extern double *_static_array__array_population_1_bias;
extern const int _num__static_array__array_population_1_bias;
extern double *_static_array__array_population_1_leak;
extern const int _num__static_array__array_population_1_leak;
extern double *_static_array__array_population_1_r;
extern const int _num__static_array__array_population_1_r;
extern double *_static_array__array_population_1_v;
extern const int _num__static_array__array_population_1_v;
extern double *_static_array__array_population_1_v_reset;
extern const int _num__static_array__array_population_1_v_reset;
extern double *_static_array__array_population_1_v_threshold;
extern const int _num__static_array__array_population_1_v_threshold;
extern double *_static_array__array_population_1_w_in;
extern const int _num__static_array__array_population_1_w_in;
extern double *_static_array__array_population_2_a_mem;
extern const int _num__static_array__array_population_2_a_mem;
extern double *_static_array__array_population_2_a_syn;
extern const int _num__static_array__array_population_2_a_syn;
extern double *_static_array__array_population_2_bias;
extern const int _num__static_array__array_population_2_bias;
extern double *_static_array__array_population_2_leak;
extern const int _num__static_array__array_population_2_leak;
extern double *_static_array__array_population_2_r;
extern const int _num__static_array__array_population_2_r;
extern double *_static_array__array_population_2_v;
extern const int _num__static_array__array_population_2_v;
extern double *_static_array__array_population_2_v_reset;
extern const int _num__static_array__array_population_2_v_reset;
extern double *_static_array__array_population_2_v_threshold;
extern const int _num__static_array__array_population_2_v_threshold;
extern double *_static_array__array_population_2_w_in;
extern const int _num__static_array__array_population_2_w_in;
extern double *_static_array__array_population_3_a_mem;
extern const int _num__static_array__array_population_3_a_mem;
extern double *_static_array__array_population_3_a_syn;
extern const int _num__static_array__array_population_3_a_syn;
extern double *_static_array__array_population_3_bias;
extern const int _num__static_array__array_population_3_bias;
extern double *_static_array__array_population_3_leak;
extern const int _num__static_array__array_population_3_leak;
extern double *_static_array__array_population_3_r;
extern const int _num__static_array__array_population_3_r;
extern double *_static_array__array_population_3_v;
extern const int _num__static_array__array_population_3_v;
extern double *_static_array__array_population_3_v_reset;
extern const int _num__static_array__array_population_3_v_reset;
extern double *_static_array__array_population_3_v_threshold;
extern const int _num__static_array__array_population_3_v_threshold;
extern double *_static_array__array_population_3_w_in;
extern const int _num__static_array__array_population_3_w_in;
extern int32_t *_static_array__array_projection_0_sources;
extern const int _num__static_array__array_projection_0_sources;
extern int32_t *_static_array__array_projection_0_targets;
extern const int _num__static_array__array_projection_0_targets;
extern int32_t *_static_array__array_projection_1_sources;
extern const int _num__static_array__array_projection_1_sources;
extern int32_t *_static_array__array_projection_1_targets;
extern const int _num__static_array__array_projection_1_targets;
extern int32_t *_static_array__array_projection_2_sources;
extern const int _num__static_array__array_projection_2_sources;
extern int32_t *_static_array__array_projection_2_targets;
extern const int _num__static_array__array_projection_2_targets;
extern double *_static_array__dynamic_array_projection_0_w;
extern const int _num__static_array__dynamic_array_projection_0_w;
extern double *_static_array__dynamic_array_projection_1_w;
extern const int _num__static_array__dynamic_array_projection_1_w;
extern double *_static_array__dynamic_array_projection_2_w;
extern const int _num__static_array__dynamic_array_projection_2_w;
extern double *neuro_drive_values;
extern const int _num_neuro_drive_values;

//////////////// synapses /////////////////
// projection_0
extern SynapticPathway projection_0_pre;
// projection_1
extern SynapticPathway projection_1_pre;
// projection_2
extern SynapticPathway projection_2_pre;

// Profiling information for each code object
}

void _init_arrays();
void _load_arrays();
void _write_arrays();
void _dealloc_arrays();

#endif


