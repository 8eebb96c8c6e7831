#include<stdlib.h>
#include "objects.h"
#include<ctime>
#include<random>

#include "code_objects/input_0_run_regularly_codeobject_2.h"
#include "code_objects/input_0_spike_thresholder_codeobject_2.h"
#include "code_objects/population_1_run_regularly_codeobject_2.h"
#include "code_objects/population_1_spike_resetter_codeobject_2.h"
#include "code_objects/population_1_spike_thresholder_codeobject_2.h"
#include "code_objects/population_2_run_regularly_codeobject_2.h"
#include "code_objects/population_2_spike_resetter_codeobject_2.h"
#include "code_objects/population_2_spike_thresholder_codeobject_2.h"
#include "code_objects/population_3_run_regularly_codeobject_2.h"
#include "code_objects/population_3_spike_resetter_codeobject_2.h"
#include "code_objects/population_3_spike_thresholder_codeobject_2.h"
#include "code_objects/projection_0_pre_codeobject_2.h"
#include "code_objects/projection_0_pre_push_spikes.h"
#include "code_objects/projection_0_synapses_create_array_codeobject.h"
#include "code_objects/projection_1_pre_codeobject_2.h"
#include "code_objects/projection_1_pre_push_spikes.h"
#include "code_objects/projection_1_synapses_create_array_codeobject.h"
#include "code_objects/projection_2_pre_codeobject_2.h"
#include "code_objects/projection_2_pre_push_spikes.h"
#include "code_objects/projection_2_synapses_create_array_codeobject.h"
#include "code_objects/spikes_1_codeobject.h"
#include "code_objects/spikes_2_codeobject.h"
#include "code_objects/spikes_3_codeobject.h"


void brian_start()
{
	_init_arrays();
	_load_arrays();
	// Initialize clocks (link timestep and dt to the respective arrays)
    brian::clock_1.timestep = brian::_array_clock_1_timestep;
    brian::clock_1.dt = brian::_array_clock_1_dt;
    brian::clock_1.t = brian::_array_clock_1_t;
}

void brian_end()
{
	_write_arrays();
	_dealloc_arrays();
}


