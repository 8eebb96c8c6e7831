#include <stdlib.h>
#include "objects.h"
#include <csignal>
#include <ctime>
#include <time.h>

#include "run.h"
#include "brianlib/common_math.h"

#include "code_objects/input_0_run_regularly_codeobject_2.h"
#include "code_objects/input_0_spike_thresholder_codeobject_2.h"
#include "code_objects/after_run_input_0_spike_thresholder_codeobject_2.h"
#include "code_objects/population_1_run_regularly_codeobject_2.h"
#include "code_objects/population_1_spike_resetter_codeobject_2.h"
#include "code_objects/population_1_spike_thresholder_codeobject_2.h"
#include "code_objects/after_run_population_1_spike_thresholder_codeobject_2.h"
#include "code_objects/population_2_run_regularly_codeobject_2.h"
#include "code_objects/population_2_spike_resetter_codeobject_2.h"
#include "code_objects/population_2_spike_thresholder_codeobject_2.h"
#include "code_objects/after_run_population_2_spike_thresholder_codeobject_2.h"
#include "code_objects/population_3_run_regularly_codeobject_2.h"
#include "code_objects/population_3_spike_resetter_codeobject_2.h"
#include "code_objects/population_3_spike_thresholder_codeobject_2.h"
#include "code_objects/after_run_population_3_spike_thresholder_codeobject_2.h"
#include "code_objects/projection_0_pre_codeobject_2.h"
#include "code_objects/projection_0_pre_push_spikes.h"
#include "code_objects/before_run_projection_0_pre_push_spikes.h"
#include "code_objects/projection_0_synapses_create_array_codeobject.h"
#include "code_objects/projection_1_pre_codeobject_2.h"
#include "code_objects/projection_1_pre_push_spikes.h"
#include "code_objects/before_run_projection_1_pre_push_spikes.h"
#include "code_objects/projection_1_synapses_create_array_codeobject.h"
#include "code_objects/projection_2_pre_codeobject_2.h"
#include "code_objects/projection_2_pre_push_spikes.h"
#include "code_objects/before_run_projection_2_pre_push_spikes.h"
#include "code_objects/projection_2_synapses_create_array_codeobject.h"
#include "code_objects/spikes_1_codeobject.h"
#include "code_objects/spikes_2_codeobject.h"
#include "code_objects/spikes_3_codeobject.h"


#include <iostream>
#include <fstream>
#include <string>




void set_from_command_line(const std::vector<std::string> args)
{
    for (const auto& arg : args) {
		// Split into two parts
		size_t equal_sign = arg.find("=");
		auto name = arg.substr(0, equal_sign);
		auto value = arg.substr(equal_sign + 1, arg.length());
		brian::set_variable_by_name(name, value);
	}
}

void _int_handler(int signal_num) {
	if (Network::_globally_running && !Network::_globally_stopped) {
		Network::_globally_stopped = true;
	} else {
		std::signal(signal_num, SIG_DFL);
		std::raise(signal_num);
	}
}

int main(int argc, char **argv)
{
	std::signal(SIGINT, _int_handler);
	std::random_device _rd;
	std::vector<std::string> args(argv + 1, argv + argc);
	if (args.size() >=2 && args[0] == "--results_dir")
	{
		brian::results_dir = args[1];
		#ifdef DEBUG
		std::cout << "Setting results dir to '" << brian::results_dir << "'" << std::endl;
		#endif
		args.erase(args.begin(), args.begin()+2);
	}
        

	brian_start();
        

	{
		using namespace brian;

		
                
        _array_defaultclock_dt[0] = 0.0001;
        _array_defaultclock_dt[0] = 0.0001;
        _array_defaultclock_dt[0] = 0.0001;
        _array_clock_1_dt[0] = 0.001;
        _array_clock_1_dt[0] = 0.001;
        
                        
                        for(int i=0; i<_num__array_input_0_column; i++)
                        {
                            _array_input_0_column[i] = _static_array__array_input_0_column[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_1_a_syn; i++)
                        {
                            _array_population_1_a_syn[i] = _static_array__array_population_1_a_syn[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_1_w_in; i++)
                        {
                            _array_population_1_w_in[i] = _static_array__array_population_1_w_in[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_1_a_mem; i++)
                        {
                            _array_population_1_a_mem[i] = _static_array__array_population_1_a_mem[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_1_leak; i++)
                        {
                            _array_population_1_leak[i] = _static_array__array_population_1_leak[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_1_r; i++)
                        {
                            _array_population_1_r[i] = _static_array__array_population_1_r[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_1_v_threshold; i++)
                        {
                            _array_population_1_v_threshold[i] = _static_array__array_population_1_v_threshold[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_1_v_reset; i++)
                        {
                            _array_population_1_v_reset[i] = _static_array__array_population_1_v_reset[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_1_v; i++)
                        {
                            _array_population_1_v[i] = _static_array__array_population_1_v[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_2_a_syn; i++)
                        {
                            _array_population_2_a_syn[i] = _static_array__array_population_2_a_syn[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_2_w_in; i++)
                        {
                            _array_population_2_w_in[i] = _static_array__array_population_2_w_in[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_2_a_mem; i++)
                        {
                            _array_population_2_a_mem[i] = _static_array__array_population_2_a_mem[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_2_leak; i++)
                        {
                            _array_population_2_leak[i] = _static_array__array_population_2_leak[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_2_r; i++)
                        {
                            _array_population_2_r[i] = _static_array__array_population_2_r[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_2_v_threshold; i++)
                        {
                            _array_population_2_v_threshold[i] = _static_array__array_population_2_v_threshold[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_2_v_reset; i++)
                        {
                            _array_population_2_v_reset[i] = _static_array__array_population_2_v_reset[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_2_v; i++)
                        {
                            _array_population_2_v[i] = _static_array__array_population_2_v[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_3_a_syn; i++)
                        {
                            _array_population_3_a_syn[i] = _static_array__array_population_3_a_syn[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_3_w_in; i++)
                        {
                            _array_population_3_w_in[i] = _static_array__array_population_3_w_in[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_3_a_mem; i++)
                        {
                            _array_population_3_a_mem[i] = _static_array__array_population_3_a_mem[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_3_leak; i++)
                        {
                            _array_population_3_leak[i] = _static_array__array_population_3_leak[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_3_r; i++)
                        {
                            _array_population_3_r[i] = _static_array__array_population_3_r[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_3_v_threshold; i++)
                        {
                            _array_population_3_v_threshold[i] = _static_array__array_population_3_v_threshold[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_3_v_reset; i++)
                        {
                            _array_population_3_v_reset[i] = _static_array__array_population_3_v_reset[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_3_v; i++)
                        {
                            _array_population_3_v[i] = _static_array__array_population_3_v[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_projection_0_sources; i++)
                        {
                            _array_projection_0_sources[i] = _static_array__array_projection_0_sources[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_projection_0_targets; i++)
                        {
                            _array_projection_0_targets[i] = _static_array__array_projection_0_targets[i];
                        }
                        
        _run_projection_0_synapses_create_array_codeobject();
        
                        
                        for(int i=0; i<_dynamic_array_projection_0_w.size(); i++)
                        {
                            _dynamic_array_projection_0_w[i] = _static_array__dynamic_array_projection_0_w[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_projection_1_sources; i++)
                        {
                            _array_projection_1_sources[i] = _static_array__array_projection_1_sources[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_projection_1_targets; i++)
                        {
                            _array_projection_1_targets[i] = _static_array__array_projection_1_targets[i];
                        }
                        
        _run_projection_1_synapses_create_array_codeobject();
        
                        
                        for(int i=0; i<_dynamic_array_projection_1_w.size(); i++)
                        {
                            _dynamic_array_projection_1_w[i] = _static_array__dynamic_array_projection_1_w[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_projection_2_sources; i++)
                        {
                            _array_projection_2_sources[i] = _static_array__array_projection_2_sources[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_projection_2_targets; i++)
                        {
                            _array_projection_2_targets[i] = _static_array__array_projection_2_targets[i];
                        }
                        
        _run_projection_2_synapses_create_array_codeobject();
        
                        
                        for(int i=0; i<_dynamic_array_projection_2_w.size(); i++)
                        {
                            _dynamic_array_projection_2_w[i] = _static_array__dynamic_array_projection_2_w[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_1_bias; i++)
                        {
                            _array_population_1_bias[i] = _static_array__array_population_1_bias[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_2_bias; i++)
                        {
                            _array_population_2_bias[i] = _static_array__array_population_2_bias[i];
                        }
                        
        
                        
                        for(int i=0; i<_num__array_population_3_bias; i++)
                        {
                            _array_population_3_bias[i] = _static_array__array_population_3_bias[i];
                        }
                        
        _array_clock_1_timestep[0] = 0;
        _array_clock_1_t[0] = 0.0;
        _before_run_projection_0_pre_push_spikes();
        _before_run_projection_1_pre_push_spikes();
        _before_run_projection_2_pre_push_spikes();
        network.clear();
        network.add(&clock_1, _run_input_0_run_regularly_codeobject_2);
        network.add(&clock_1, _run_input_0_spike_thresholder_codeobject_2);
        network.add(&clock_1, _run_projection_0_pre_push_spikes);
        network.add(&clock_1, _run_projection_0_pre_codeobject_2);
        network.add(&clock_1, _run_population_1_run_regularly_codeobject_2);
        network.add(&clock_1, _run_population_1_spike_thresholder_codeobject_2);
        network.add(&clock_1, _run_projection_1_pre_push_spikes);
        network.add(&clock_1, _run_projection_1_pre_codeobject_2);
        network.add(&clock_1, _run_population_2_run_regularly_codeobject_2);
        network.add(&clock_1, _run_population_2_spike_thresholder_codeobject_2);
        network.add(&clock_1, _run_projection_2_pre_push_spikes);
        network.add(&clock_1, _run_projection_2_pre_codeobject_2);
        network.add(&clock_1, _run_population_3_run_regularly_codeobject_2);
        network.add(&clock_1, _run_population_3_spike_thresholder_codeobject_2);
        network.add(&clock_1, _run_spikes_1_codeobject);
        network.add(&clock_1, _run_spikes_2_codeobject);
        network.add(&clock_1, _run_spikes_3_codeobject);
        network.add(&clock_1, _run_population_1_spike_resetter_codeobject_2);
        network.add(&clock_1, _run_population_2_spike_resetter_codeobject_2);
        network.add(&clock_1, _run_population_3_spike_resetter_codeobject_2);
        set_from_command_line(args);
        network.run(0.016, NULL, 10.0);
        _after_run_input_0_spike_thresholder_codeobject_2();
        _after_run_population_1_spike_thresholder_codeobject_2();
        _after_run_population_2_spike_thresholder_codeobject_2();
        _after_run_population_3_spike_thresholder_codeobject_2();
        #ifdef DEBUG
        _debugmsg_projection_0_pre_codeobject_2();
        #endif
        
        #ifdef DEBUG
        _debugmsg_projection_1_pre_codeobject_2();
        #endif
        
        #ifdef DEBUG
        _debugmsg_projection_2_pre_codeobject_2();
        #endif
        
        #ifdef DEBUG
        _debugmsg_spikes_1_codeobject();
        #endif
        
        #ifdef DEBUG
        _debugmsg_spikes_2_codeobject();
        #endif
        
        #ifdef DEBUG
        _debugmsg_spikes_3_codeobject();
        #endif

	}
        

	brian_end();
        

	return 0;
}