

#include "objects.h"
#include "synapses_classes.h"
#include "brianlib/clocks.h"
#include "brianlib/dynamic_array.h"
#include "brianlib/stdint_compat.h"
#include "network.h"
#include<random>
#include<vector>
#include<iostream>
#include<fstream>
#include<map>
#include<tuple>
#include<cstdlib>
#include<string>

namespace brian {

std::string results_dir = "results/";  // can be overwritten by --results_dir command line arg

// For multhreading, we need one generator for each thread. We also create a distribution for
// each thread, even though this is not strictly necessary for the uniform distribution, as
// the distribution is stateless.
std::vector< RandomGenerator > _random_generators;

//////////////// networks /////////////////
Network network;

void set_variable_from_value(std::string varname, char* var_pointer, size_t size, char value) {
    #ifdef DEBUG
    std::cout << "Setting '" << varname << "' to " << (value == 1 ? "True" : "False") << std::endl;
    #endif
    std::fill(var_pointer, var_pointer+size, value);
}

template<class T> void set_variable_from_value(std::string varname, T* var_pointer, size_t size, T value) {
    #ifdef DEBUG
    std::cout << "Setting '" << varname << "' to " << value << std::endl;
    #endif
    std::fill(var_pointer, var_pointer+size, value);
}

template<class T> void set_variable_from_file(std::string varname, T* var_pointer, size_t data_size, std::string filename) {
    ifstream f;
    streampos size;
    #ifdef DEBUG
    std::cout << "Setting '" << varname << "' from file '" << filename << "'" << std::endl;
    #endif
    f.open(filename, ios::in | ios::binary | ios::ate);
    size = f.tellg();
    if (size != data_size) {
        std::cerr << "Error reading '" << filename << "': file size " << size << " does not match expected size " << data_size << std::endl;
        return;
    }
    f.seekg(0, ios::beg);
    if (f.is_open())
        f.read(reinterpret_cast<char *>(var_pointer), data_size);
    else
        std::cerr << "Could not read '" << filename << "'" << std::endl;
    if (f.fail())
        std::cerr << "Error reading '" << filename << "'" << std::endl;
}

//////////////// set arrays by name ///////
void set_variable_by_name(std::string name, std::string s_value) {
    size_t var_size;
    size_t data_size;
    // C-style or Python-style capitalization is allowed for boolean values
    if (s_value == "true" || s_value == "True")
        s_value = "1";
    else if (s_value == "false" || s_value == "False")
        s_value = "0";
    // non-dynamic arrays
    if (name == "input_0._spikespace") {
        var_size = 65;
        data_size = 65*sizeof(int32_t);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<int32_t>(name, _array_input_0__spikespace, var_size, (int32_t)atoi(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_input_0__spikespace, data_size, s_value);
        }
        return;
    }
    if (name == "input_0.column") {
        var_size = 64;
        data_size = 64*sizeof(int32_t);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<int32_t>(name, _array_input_0_column, var_size, (int32_t)atoi(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_input_0_column, data_size, s_value);
        }
        return;
    }
    if (name == "input_0.x") {
        var_size = 64;
        data_size = 64*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_input_0_x, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_input_0_x, data_size, s_value);
        }
        return;
    }
    if (name == "population_1._spikespace") {
        var_size = 2049;
        data_size = 2049*sizeof(int32_t);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<int32_t>(name, _array_population_1__spikespace, var_size, (int32_t)atoi(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_1__spikespace, data_size, s_value);
        }
        return;
    }
    if (name == "population_1.a_mem") {
        var_size = 2048;
        data_size = 2048*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_1_a_mem, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_1_a_mem, data_size, s_value);
        }
        return;
    }
    if (name == "population_1.a_syn") {
        var_size = 2048;
        data_size = 2048*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_1_a_syn, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_1_a_syn, data_size, s_value);
        }
        return;
    }
    if (name == "population_1.arriving") {
        var_size = 2048;
        data_size = 2048*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_1_arriving, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_1_arriving, data_size, s_value);
        }
        return;
    }
    if (name == "population_1.bias") {
        var_size = 2048;
        data_size = 2048*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_1_bias, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_1_bias, data_size, s_value);
        }
        return;
    }
    if (name == "population_1.cur") {
        var_size = 2048;
        data_size = 2048*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_1_cur, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_1_cur, data_size, s_value);
        }
        return;
    }
    if (name == "population_1.leak") {
        var_size = 2048;
        data_size = 2048*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_1_leak, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_1_leak, data_size, s_value);
        }
        return;
    }
    if (name == "population_1.r") {
        var_size = 2048;
        data_size = 2048*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_1_r, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_1_r, data_size, s_value);
        }
        return;
    }
    if (name == "population_1.v") {
        var_size = 2048;
        data_size = 2048*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_1_v, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_1_v, data_size, s_value);
        }
        return;
    }
    if (name == "population_1.v_reset") {
        var_size = 2048;
        data_size = 2048*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_1_v_reset, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_1_v_reset, data_size, s_value);
        }
        return;
    }
    if (name == "population_1.v_threshold") {
        var_size = 2048;
        data_size = 2048*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_1_v_threshold, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_1_v_threshold, data_size, s_value);
        }
        return;
    }
    if (name == "population_1.w_in") {
        var_size = 2048;
        data_size = 2048*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_1_w_in, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_1_w_in, data_size, s_value);
        }
        return;
    }
    if (name == "population_2._spikespace") {
        var_size = 1025;
        data_size = 1025*sizeof(int32_t);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<int32_t>(name, _array_population_2__spikespace, var_size, (int32_t)atoi(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_2__spikespace, data_size, s_value);
        }
        return;
    }
    if (name == "population_2.a_mem") {
        var_size = 1024;
        data_size = 1024*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_2_a_mem, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_2_a_mem, data_size, s_value);
        }
        return;
    }
    if (name == "population_2.a_syn") {
        var_size = 1024;
        data_size = 1024*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_2_a_syn, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_2_a_syn, data_size, s_value);
        }
        return;
    }
    if (name == "population_2.arriving") {
        var_size = 1024;
        data_size = 1024*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_2_arriving, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_2_arriving, data_size, s_value);
        }
        return;
    }
    if (name == "population_2.bias") {
        var_size = 1024;
        data_size = 1024*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_2_bias, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_2_bias, data_size, s_value);
        }
        return;
    }
    if (name == "population_2.cur") {
        var_size = 1024;
        data_size = 1024*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_2_cur, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_2_cur, data_size, s_value);
        }
        return;
    }
    if (name == "population_2.leak") {
        var_size = 1024;
        data_size = 1024*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_2_leak, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_2_leak, data_size, s_value);
        }
        return;
    }
    if (name == "population_2.r") {
        var_size = 1024;
        data_size = 1024*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_2_r, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_2_r, data_size, s_value);
        }
        return;
    }
    if (name == "population_2.v") {
        var_size = 1024;
        data_size = 1024*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_2_v, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_2_v, data_size, s_value);
        }
        return;
    }
    if (name == "population_2.v_reset") {
        var_size = 1024;
        data_size = 1024*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_2_v_reset, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_2_v_reset, data_size, s_value);
        }
        return;
    }
    if (name == "population_2.v_threshold") {
        var_size = 1024;
        data_size = 1024*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_2_v_threshold, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_2_v_threshold, data_size, s_value);
        }
        return;
    }
    if (name == "population_2.w_in") {
        var_size = 1024;
        data_size = 1024*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_2_w_in, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_2_w_in, data_size, s_value);
        }
        return;
    }
    if (name == "population_3._spikespace") {
        var_size = 11;
        data_size = 11*sizeof(int32_t);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<int32_t>(name, _array_population_3__spikespace, var_size, (int32_t)atoi(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_3__spikespace, data_size, s_value);
        }
        return;
    }
    if (name == "population_3.a_mem") {
        var_size = 10;
        data_size = 10*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_3_a_mem, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_3_a_mem, data_size, s_value);
        }
        return;
    }
    if (name == "population_3.a_syn") {
        var_size = 10;
        data_size = 10*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_3_a_syn, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_3_a_syn, data_size, s_value);
        }
        return;
    }
    if (name == "population_3.arriving") {
        var_size = 10;
        data_size = 10*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_3_arriving, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_3_arriving, data_size, s_value);
        }
        return;
    }
    if (name == "population_3.bias") {
        var_size = 10;
        data_size = 10*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_3_bias, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_3_bias, data_size, s_value);
        }
        return;
    }
    if (name == "population_3.cur") {
        var_size = 10;
        data_size = 10*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_3_cur, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_3_cur, data_size, s_value);
        }
        return;
    }
    if (name == "population_3.leak") {
        var_size = 10;
        data_size = 10*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_3_leak, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_3_leak, data_size, s_value);
        }
        return;
    }
    if (name == "population_3.r") {
        var_size = 10;
        data_size = 10*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_3_r, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_3_r, data_size, s_value);
        }
        return;
    }
    if (name == "population_3.v") {
        var_size = 10;
        data_size = 10*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_3_v, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_3_v, data_size, s_value);
        }
        return;
    }
    if (name == "population_3.v_reset") {
        var_size = 10;
        data_size = 10*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_3_v_reset, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_3_v_reset, data_size, s_value);
        }
        return;
    }
    if (name == "population_3.v_threshold") {
        var_size = 10;
        data_size = 10*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_3_v_threshold, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_3_v_threshold, data_size, s_value);
        }
        return;
    }
    if (name == "population_3.w_in") {
        var_size = 10;
        data_size = 10*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_population_3_w_in, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_population_3_w_in, data_size, s_value);
        }
        return;
    }
    // dynamic arrays (1d)
    if (name == "projection_0.delay") {
        var_size = _dynamic_array_projection_0_delay.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_projection_0_delay[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_projection_0_delay[0], data_size, s_value);
        }
        return;
    }
    if (name == "projection_0.w") {
        var_size = _dynamic_array_projection_0_w.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_projection_0_w[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_projection_0_w[0], data_size, s_value);
        }
        return;
    }
    if (name == "projection_1.delay") {
        var_size = _dynamic_array_projection_1_delay.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_projection_1_delay[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_projection_1_delay[0], data_size, s_value);
        }
        return;
    }
    if (name == "projection_1.w") {
        var_size = _dynamic_array_projection_1_w.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_projection_1_w[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_projection_1_w[0], data_size, s_value);
        }
        return;
    }
    if (name == "projection_2.delay") {
        var_size = _dynamic_array_projection_2_delay.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_projection_2_delay[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_projection_2_delay[0], data_size, s_value);
        }
        return;
    }
    if (name == "projection_2.w") {
        var_size = _dynamic_array_projection_2_w.size();
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, &_dynamic_array_projection_2_w[0], var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, &_dynamic_array_projection_2_w[0], data_size, s_value);
        }
        return;
    }
    if (name == "neuro_drive.values") {
        var_size = 64;
        data_size = var_size*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, neuro_drive_values, var_size, (double)atof(s_value.c_str()));


        } else {
            // set from file
            set_variable_from_file(name, neuro_drive_values, data_size, s_value);
        }
        return;
    }
    std::cerr << "Cannot set unknown variable '" << name << "'." << std::endl;
    exit(1);
}
//////////////// arrays ///////////////////
double * _array_clock_1_dt;
const int _num__array_clock_1_dt = 1;
double * _array_clock_1_t;
const int _num__array_clock_1_t = 1;
int64_t * _array_clock_1_timestep;
const int _num__array_clock_1_timestep = 1;
double * _array_defaultclock_dt;
const int _num__array_defaultclock_dt = 1;
double * _array_defaultclock_t;
const int _num__array_defaultclock_t = 1;
int64_t * _array_defaultclock_timestep;
const int _num__array_defaultclock_timestep = 1;
int32_t * _array_input_0__spikespace;
const int _num__array_input_0__spikespace = 65;
int32_t * _array_input_0_column;
const int _num__array_input_0_column = 64;
int32_t * _array_input_0_i;
const int _num__array_input_0_i = 64;
double * _array_input_0_x;
const int _num__array_input_0_x = 64;
int32_t * _array_population_1__spikespace;
const int _num__array_population_1__spikespace = 2049;
double * _array_population_1_a_mem;
const int _num__array_population_1_a_mem = 2048;
double * _array_population_1_a_syn;
const int _num__array_population_1_a_syn = 2048;
double * _array_population_1_arriving;
const int _num__array_population_1_arriving = 2048;
double * _array_population_1_bias;
const int _num__array_population_1_bias = 2048;
double * _array_population_1_cur;
const int _num__array_population_1_cur = 2048;
int32_t * _array_population_1_i;
const int _num__array_population_1_i = 2048;
double * _array_population_1_leak;
const int _num__array_population_1_leak = 2048;
double * _array_population_1_r;
const int _num__array_population_1_r = 2048;
double * _array_population_1_v;
const int _num__array_population_1_v = 2048;
double * _array_population_1_v_reset;
const int _num__array_population_1_v_reset = 2048;
double * _array_population_1_v_threshold;
const int _num__array_population_1_v_threshold = 2048;
double * _array_population_1_w_in;
const int _num__array_population_1_w_in = 2048;
int32_t * _array_population_2__spikespace;
const int _num__array_population_2__spikespace = 1025;
double * _array_population_2_a_mem;
const int _num__array_population_2_a_mem = 1024;
double * _array_population_2_a_syn;
const int _num__array_population_2_a_syn = 1024;
double * _array_population_2_arriving;
const int _num__array_population_2_arriving = 1024;
double * _array_population_2_bias;
const int _num__array_population_2_bias = 1024;
double * _array_population_2_cur;
const int _num__array_population_2_cur = 1024;
int32_t * _array_population_2_i;
const int _num__array_population_2_i = 1024;
double * _array_population_2_leak;
const int _num__array_population_2_leak = 1024;
double * _array_population_2_r;
const int _num__array_population_2_r = 1024;
double * _array_population_2_v;
const int _num__array_population_2_v = 1024;
double * _array_population_2_v_reset;
const int _num__array_population_2_v_reset = 1024;
double * _array_population_2_v_threshold;
const int _num__array_population_2_v_threshold = 1024;
double * _array_population_2_w_in;
const int _num__array_population_2_w_in = 1024;
int32_t * _array_population_3__spikespace;
const int _num__array_population_3__spikespace = 11;
double * _array_population_3_a_mem;
const int _num__array_population_3_a_mem = 10;
double * _array_population_3_a_syn;
const int _num__array_population_3_a_syn = 10;
double * _array_population_3_arriving;
const int _num__array_population_3_arriving = 10;
double * _array_population_3_bias;
const int _num__array_population_3_bias = 10;
double * _array_population_3_cur;
const int _num__array_population_3_cur = 10;
int32_t * _array_population_3_i;
const int _num__array_population_3_i = 10;
double * _array_population_3_leak;
const int _num__array_population_3_leak = 10;
double * _array_population_3_r;
const int _num__array_population_3_r = 10;
double * _array_population_3_v;
const int _num__array_population_3_v = 10;
double * _array_population_3_v_reset;
const int _num__array_population_3_v_reset = 10;
double * _array_population_3_v_threshold;
const int _num__array_population_3_v_threshold = 10;
double * _array_population_3_w_in;
const int _num__array_population_3_w_in = 10;
int32_t * _array_projection_0_N;
const int _num__array_projection_0_N = 1;
int32_t * _array_projection_0_sources;
const int _num__array_projection_0_sources = 15488;
int32_t * _array_projection_0_targets;
const int _num__array_projection_0_targets = 15488;
int32_t * _array_projection_1_N;
const int _num__array_projection_1_N = 1;
int32_t * _array_projection_1_sources;
const int _num__array_projection_1_sources = 819200;
int32_t * _array_projection_1_targets;
const int _num__array_projection_1_targets = 819200;
int32_t * _array_projection_2_N;
const int _num__array_projection_2_N = 1;
int32_t * _array_projection_2_sources;
const int _num__array_projection_2_sources = 10240;
int32_t * _array_projection_2_targets;
const int _num__array_projection_2_targets = 10240;
int32_t * _array_spikes_1__source_idx;
const int _num__array_spikes_1__source_idx = 2048;
int32_t * _array_spikes_1_count;
const int _num__array_spikes_1_count = 2048;
int32_t * _array_spikes_1_N;
const int _num__array_spikes_1_N = 1;
int32_t * _array_spikes_2__source_idx;
const int _num__array_spikes_2__source_idx = 1024;
int32_t * _array_spikes_2_count;
const int _num__array_spikes_2_count = 1024;
int32_t * _array_spikes_2_N;
const int _num__array_spikes_2_N = 1;
int32_t * _array_spikes_3__source_idx;
const int _num__array_spikes_3__source_idx = 10;
int32_t * _array_spikes_3_count;
const int _num__array_spikes_3_count = 10;
int32_t * _array_spikes_3_N;
const int _num__array_spikes_3_N = 1;

//////////////// dynamic arrays 1d /////////
std::vector<int32_t> _dynamic_array_projection_0__synaptic_post;
std::vector<int32_t> _dynamic_array_projection_0__synaptic_pre;
std::vector<double> _dynamic_array_projection_0_delay;
std::vector<int32_t> _dynamic_array_projection_0_N_incoming;
std::vector<int32_t> _dynamic_array_projection_0_N_outgoing;
std::vector<double> _dynamic_array_projection_0_w;
std::vector<int32_t> _dynamic_array_projection_1__synaptic_post;
std::vector<int32_t> _dynamic_array_projection_1__synaptic_pre;
std::vector<double> _dynamic_array_projection_1_delay;
std::vector<int32_t> _dynamic_array_projection_1_N_incoming;
std::vector<int32_t> _dynamic_array_projection_1_N_outgoing;
std::vector<double> _dynamic_array_projection_1_w;
std::vector<int32_t> _dynamic_array_projection_2__synaptic_post;
std::vector<int32_t> _dynamic_array_projection_2__synaptic_pre;
std::vector<double> _dynamic_array_projection_2_delay;
std::vector<int32_t> _dynamic_array_projection_2_N_incoming;
std::vector<int32_t> _dynamic_array_projection_2_N_outgoing;
std::vector<double> _dynamic_array_projection_2_w;

//////////////// dynamic arrays 2d /////////

/////////////// static arrays /////////////
int64_t * _static_array__array_input_0_column;
const int _num__static_array__array_input_0_column = 64;
double * _static_array__array_population_1_a_mem;
const int _num__static_array__array_population_1_a_mem = 2048;
double * _static_array__array_population_1_a_syn;
const int _num__static_array__array_population_1_a_syn = 2048;
double * _static_array__array_population_1_bias;
const int _num__static_array__array_population_1_bias = 2048;
double * _static_array__array_population_1_leak;
const int _num__static_array__array_population_1_leak = 2048;
double * _static_array__array_population_1_r;
const int _num__static_array__array_population_1_r = 2048;
double * _static_array__array_population_1_v;
const int _num__static_array__array_population_1_v = 2048;
double * _static_array__array_population_1_v_reset;
const int _num__static_array__array_population_1_v_reset = 2048;
double * _static_array__array_population_1_v_threshold;
const int _num__static_array__array_population_1_v_threshold = 2048;
double * _static_array__array_population_1_w_in;
const int _num__static_array__array_population_1_w_in = 2048;
double * _static_array__array_population_2_a_mem;
const int _num__static_array__array_population_2_a_mem = 1024;
double * _static_array__array_population_2_a_syn;
const int _num__static_array__array_population_2_a_syn = 1024;
double * _static_array__array_population_2_bias;
const int _num__static_array__array_population_2_bias = 1024;
double * _static_array__array_population_2_leak;
const int _num__static_array__array_population_2_leak = 1024;
double * _static_array__array_population_2_r;
const int _num__static_array__array_population_2_r = 1024;
double * _static_array__array_population_2_v;
const int _num__static_array__array_population_2_v = 1024;
double * _static_array__array_population_2_v_reset;
const int _num__static_array__array_population_2_v_reset = 1024;
double * _static_array__array_population_2_v_threshold;
const int _num__static_array__array_population_2_v_threshold = 1024;
double * _static_array__array_population_2_w_in;
const int _num__static_array__array_population_2_w_in = 1024;
double * _static_array__array_population_3_a_mem;
const int _num__static_array__array_population_3_a_mem = 10;
double * _static_array__array_population_3_a_syn;
const int _num__static_array__array_population_3_a_syn = 10;
double * _static_array__array_population_3_bias;
const int _num__static_array__array_population_3_bias = 10;
double * _static_array__array_population_3_leak;
const int _num__static_array__array_population_3_leak = 10;
double * _static_array__array_population_3_r;
const int _num__static_array__array_population_3_r = 10;
double * _static_array__array_population_3_v;
const int _num__static_array__array_population_3_v = 10;
double * _static_array__array_population_3_v_reset;
const int _num__static_array__array_population_3_v_reset = 10;
double * _static_array__array_population_3_v_threshold;
const int _num__static_array__array_population_3_v_threshold = 10;
double * _static_array__array_population_3_w_in;
const int _num__static_array__array_population_3_w_in = 10;
int32_t * _static_array__array_projection_0_sources;
const int _num__static_array__array_projection_0_sources = 15488;
int32_t * _static_array__array_projection_0_targets;
const int _num__static_array__array_projection_0_targets = 15488;
int32_t * _static_array__array_projection_1_sources;
const int _num__static_array__array_projection_1_sources = 819200;
int32_t * _static_array__array_projection_1_targets;
const int _num__static_array__array_projection_1_targets = 819200;
int32_t * _static_array__array_projection_2_sources;
const int _num__static_array__array_projection_2_sources = 10240;
int32_t * _static_array__array_projection_2_targets;
const int _num__static_array__array_projection_2_targets = 10240;
double * _static_array__dynamic_array_projection_0_w;
const int _num__static_array__dynamic_array_projection_0_w = 15488;
double * _static_array__dynamic_array_projection_1_w;
const int _num__static_array__dynamic_array_projection_1_w = 819200;
double * _static_array__dynamic_array_projection_2_w;
const int _num__static_array__dynamic_array_projection_2_w = 10240;
double * neuro_drive_values;
const int _num_neuro_drive_values = 64;

//////////////// synapses /////////////////
// projection_0
SynapticPathway projection_0_pre(
    _dynamic_array_projection_0__synaptic_pre,
    0, 64);
// projection_1
SynapticPathway projection_1_pre(
    _dynamic_array_projection_1__synaptic_pre,
    0, 2048);
// projection_2
SynapticPathway projection_2_pre(
    _dynamic_array_projection_2__synaptic_pre,
    0, 1024);

//////////////// clocks ///////////////////
Clock clock_1;  // attributes will be set in run.cpp

// Profiling information for each code object
}

void _init_arrays()
{
    using namespace brian;

    // Arrays initialized to 0
    _array_clock_1_dt = new double[1];
    
    for(int i=0; i<1; i++) _array_clock_1_dt[i] = 0;

    _array_clock_1_t = new double[1];
    
    for(int i=0; i<1; i++) _array_clock_1_t[i] = 0;

    _array_clock_1_timestep = new int64_t[1];
    
    for(int i=0; i<1; i++) _array_clock_1_timestep[i] = 0;

    _array_defaultclock_dt = new double[1];
    
    for(int i=0; i<1; i++) _array_defaultclock_dt[i] = 0;

    _array_defaultclock_t = new double[1];
    
    for(int i=0; i<1; i++) _array_defaultclock_t[i] = 0;

    _array_defaultclock_timestep = new int64_t[1];
    
    for(int i=0; i<1; i++) _array_defaultclock_timestep[i] = 0;

    _array_input_0__spikespace = new int32_t[65];
    
    for(int i=0; i<65; i++) _array_input_0__spikespace[i] = 0;

    _array_input_0_column = new int32_t[64];
    
    for(int i=0; i<64; i++) _array_input_0_column[i] = 0;

    _array_input_0_i = new int32_t[64];
    
    for(int i=0; i<64; i++) _array_input_0_i[i] = 0;

    _array_input_0_x = new double[64];
    
    for(int i=0; i<64; i++) _array_input_0_x[i] = 0;

    _array_population_1__spikespace = new int32_t[2049];
    
    for(int i=0; i<2049; i++) _array_population_1__spikespace[i] = 0;

    _array_population_1_a_mem = new double[2048];
    
    for(int i=0; i<2048; i++) _array_population_1_a_mem[i] = 0;

    _array_population_1_a_syn = new double[2048];
    
    for(int i=0; i<2048; i++) _array_population_1_a_syn[i] = 0;

    _array_population_1_arriving = new double[2048];
    
    for(int i=0; i<2048; i++) _array_population_1_arriving[i] = 0;

    _array_population_1_bias = new double[2048];
    
    for(int i=0; i<2048; i++) _array_population_1_bias[i] = 0;

    _array_population_1_cur = new double[2048];
    
    for(int i=0; i<2048; i++) _array_population_1_cur[i] = 0;

    _array_population_1_i = new int32_t[2048];
    
    for(int i=0; i<2048; i++) _array_population_1_i[i] = 0;

    _array_population_1_leak = new double[2048];
    
    for(int i=0; i<2048; i++) _array_population_1_leak[i] = 0;

    _array_population_1_r = new double[2048];
    
    for(int i=0; i<2048; i++) _array_population_1_r[i] = 0;

    _array_population_1_v = new double[2048];
    
    for(int i=0; i<2048; i++) _array_population_1_v[i] = 0;

    _array_population_1_v_reset = new double[2048];
    
    for(int i=0; i<2048; i++) _array_population_1_v_reset[i] = 0;

    _array_population_1_v_threshold = new double[2048];
    
    for(int i=0; i<2048; i++) _array_population_1_v_threshold[i] = 0;

    _array_population_1_w_in = new double[2048];
    
    for(int i=0; i<2048; i++) _array_population_1_w_in[i] = 0;

    _array_population_2__spikespace = new int32_t[1025];
    
    for(int i=0; i<1025; i++) _array_population_2__spikespace[i] = 0;

    _array_population_2_a_mem = new double[1024];
    
    for(int i=0; i<1024; i++) _array_population_2_a_mem[i] = 0;

    _array_population_2_a_syn = new double[1024];
    
    for(int i=0; i<1024; i++) _array_population_2_a_syn[i] = 0;

    _array_population_2_arriving = new double[1024];
    
    for(int i=0; i<1024; i++) _array_population_2_arriving[i] = 0;

    _array_population_2_bias = new double[1024];
    
    for(int i=0; i<1024; i++) _array_population_2_bias[i] = 0;

    _array_population_2_cur = new double[1024];
    
    for(int i=0; i<1024; i++) _array_population_2_cur[i] = 0;

    _array_population_2_i = new int32_t[1024];
    
    for(int i=0; i<1024; i++) _array_population_2_i[i] = 0;

    _array_population_2_leak = new double[1024];
    
    for(int i=0; i<1024; i++) _array_population_2_leak[i] = 0;

    _array_population_2_r = new double[1024];
    
    for(int i=0; i<1024; i++) _array_population_2_r[i] = 0;

    _array_population_2_v = new double[1024];
    
    for(int i=0; i<1024; i++) _array_population_2_v[i] = 0;

    _array_population_2_v_reset = new double[1024];
    
    for(int i=0; i<1024; i++) _array_population_2_v_reset[i] = 0;

    _array_population_2_v_threshold = new double[1024];
    
    for(int i=0; i<1024; i++) _array_population_2_v_threshold[i] = 0;

    _array_population_2_w_in = new double[1024];
    
    for(int i=0; i<1024; i++) _array_population_2_w_in[i] = 0;

    _array_population_3__spikespace = new int32_t[11];
    
    for(int i=0; i<11; i++) _array_population_3__spikespace[i] = 0;

    _array_population_3_a_mem = new double[10];
    
    for(int i=0; i<10; i++) _array_population_3_a_mem[i] = 0;

    _array_population_3_a_syn = new double[10];
    
    for(int i=0; i<10; i++) _array_population_3_a_syn[i] = 0;

    _array_population_3_arriving = new double[10];
    
    for(int i=0; i<10; i++) _array_population_3_arriving[i] = 0;

    _array_population_3_bias = new double[10];
    
    for(int i=0; i<10; i++) _array_population_3_bias[i] = 0;

    _array_population_3_cur = new double[10];
    
    for(int i=0; i<10; i++) _array_population_3_cur[i] = 0;

    _array_population_3_i = new int32_t[10];
    
    for(int i=0; i<10; i++) _array_population_3_i[i] = 0;

    _array_population_3_leak = new double[10];
    
    for(int i=0; i<10; i++) _array_population_3_leak[i] = 0;

    _array_population_3_r = new double[10];
    
    for(int i=0; i<10; i++) _array_population_3_r[i] = 0;

    _array_population_3_v = new double[10];
    
    for(int i=0; i<10; i++) _array_population_3_v[i] = 0;

    _array_population_3_v_reset = new double[10];
    
    for(int i=0; i<10; i++) _array_population_3_v_reset[i] = 0;

    _array_population_3_v_threshold = new double[10];
    
    for(int i=0; i<10; i++) _array_population_3_v_threshold[i] = 0;

    _array_population_3_w_in = new double[10];
    
    for(int i=0; i<10; i++) _array_population_3_w_in[i] = 0;

    _array_projection_0_N = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_projection_0_N[i] = 0;

    _array_projection_0_sources = new int32_t[15488];
    
    for(int i=0; i<15488; i++) _array_projection_0_sources[i] = 0;

    _array_projection_0_targets = new int32_t[15488];
    
    for(int i=0; i<15488; i++) _array_projection_0_targets[i] = 0;

    _array_projection_1_N = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_projection_1_N[i] = 0;

    _array_projection_1_sources = new int32_t[819200];
    
    for(int i=0; i<819200; i++) _array_projection_1_sources[i] = 0;

    _array_projection_1_targets = new int32_t[819200];
    
    for(int i=0; i<819200; i++) _array_projection_1_targets[i] = 0;

    _array_projection_2_N = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_projection_2_N[i] = 0;

    _array_projection_2_sources = new int32_t[10240];
    
    for(int i=0; i<10240; i++) _array_projection_2_sources[i] = 0;

    _array_projection_2_targets = new int32_t[10240];
    
    for(int i=0; i<10240; i++) _array_projection_2_targets[i] = 0;

    _array_spikes_1__source_idx = new int32_t[2048];
    
    for(int i=0; i<2048; i++) _array_spikes_1__source_idx[i] = 0;

    _array_spikes_1_count = new int32_t[2048];
    
    for(int i=0; i<2048; i++) _array_spikes_1_count[i] = 0;

    _array_spikes_1_N = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_spikes_1_N[i] = 0;

    _array_spikes_2__source_idx = new int32_t[1024];
    
    for(int i=0; i<1024; i++) _array_spikes_2__source_idx[i] = 0;

    _array_spikes_2_count = new int32_t[1024];
    
    for(int i=0; i<1024; i++) _array_spikes_2_count[i] = 0;

    _array_spikes_2_N = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_spikes_2_N[i] = 0;

    _array_spikes_3__source_idx = new int32_t[10];
    
    for(int i=0; i<10; i++) _array_spikes_3__source_idx[i] = 0;

    _array_spikes_3_count = new int32_t[10];
    
    for(int i=0; i<10; i++) _array_spikes_3_count[i] = 0;

    _array_spikes_3_N = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_spikes_3_N[i] = 0;


    // Arrays initialized to an "arange"
    _array_input_0_i = new int32_t[64];
    
    for(int i=0; i<64; i++) _array_input_0_i[i] = 0 + i;

    _array_population_1_i = new int32_t[2048];
    
    for(int i=0; i<2048; i++) _array_population_1_i[i] = 0 + i;

    _array_population_2_i = new int32_t[1024];
    
    for(int i=0; i<1024; i++) _array_population_2_i[i] = 0 + i;

    _array_population_3_i = new int32_t[10];
    
    for(int i=0; i<10; i++) _array_population_3_i[i] = 0 + i;

    _array_spikes_1__source_idx = new int32_t[2048];
    
    for(int i=0; i<2048; i++) _array_spikes_1__source_idx[i] = 0 + i;

    _array_spikes_2__source_idx = new int32_t[1024];
    
    for(int i=0; i<1024; i++) _array_spikes_2__source_idx[i] = 0 + i;

    _array_spikes_3__source_idx = new int32_t[10];
    
    for(int i=0; i<10; i++) _array_spikes_3__source_idx[i] = 0 + i;


    // static arrays
    _static_array__array_input_0_column = new int64_t[64];
    _static_array__array_population_1_a_mem = new double[2048];
    _static_array__array_population_1_a_syn = new double[2048];
    _static_array__array_population_1_bias = new double[2048];
    _static_array__array_population_1_leak = new double[2048];
    _static_array__array_population_1_r = new double[2048];
    _static_array__array_population_1_v = new double[2048];
    _static_array__array_population_1_v_reset = new double[2048];
    _static_array__array_population_1_v_threshold = new double[2048];
    _static_array__array_population_1_w_in = new double[2048];
    _static_array__array_population_2_a_mem = new double[1024];
    _static_array__array_population_2_a_syn = new double[1024];
    _static_array__array_population_2_bias = new double[1024];
    _static_array__array_population_2_leak = new double[1024];
    _static_array__array_population_2_r = new double[1024];
    _static_array__array_population_2_v = new double[1024];
    _static_array__array_population_2_v_reset = new double[1024];
    _static_array__array_population_2_v_threshold = new double[1024];
    _static_array__array_population_2_w_in = new double[1024];
    _static_array__array_population_3_a_mem = new double[10];
    _static_array__array_population_3_a_syn = new double[10];
    _static_array__array_population_3_bias = new double[10];
    _static_array__array_population_3_leak = new double[10];
    _static_array__array_population_3_r = new double[10];
    _static_array__array_population_3_v = new double[10];
    _static_array__array_population_3_v_reset = new double[10];
    _static_array__array_population_3_v_threshold = new double[10];
    _static_array__array_population_3_w_in = new double[10];
    _static_array__array_projection_0_sources = new int32_t[15488];
    _static_array__array_projection_0_targets = new int32_t[15488];
    _static_array__array_projection_1_sources = new int32_t[819200];
    _static_array__array_projection_1_targets = new int32_t[819200];
    _static_array__array_projection_2_sources = new int32_t[10240];
    _static_array__array_projection_2_targets = new int32_t[10240];
    _static_array__dynamic_array_projection_0_w = new double[15488];
    _static_array__dynamic_array_projection_1_w = new double[819200];
    _static_array__dynamic_array_projection_2_w = new double[10240];
    neuro_drive_values = new double[64];

    // Random number generator states
    std::random_device rd;
    for (int i=0; i<1; i++)
        _random_generators.push_back(RandomGenerator());
}

void _load_arrays()
{
    using namespace brian;

    ifstream f_static_array__array_input_0_column;
    f_static_array__array_input_0_column.open("static_arrays/_static_array__array_input_0_column", ios::in | ios::binary);
    if(f_static_array__array_input_0_column.is_open())
    {
        f_static_array__array_input_0_column.read(reinterpret_cast<char*>(_static_array__array_input_0_column), 64*sizeof(int64_t));
    } else
    {
        std::cout << "Error opening static array _static_array__array_input_0_column." << endl;
    }
    ifstream f_static_array__array_population_1_a_mem;
    f_static_array__array_population_1_a_mem.open("static_arrays/_static_array__array_population_1_a_mem", ios::in | ios::binary);
    if(f_static_array__array_population_1_a_mem.is_open())
    {
        f_static_array__array_population_1_a_mem.read(reinterpret_cast<char*>(_static_array__array_population_1_a_mem), 2048*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_1_a_mem." << endl;
    }
    ifstream f_static_array__array_population_1_a_syn;
    f_static_array__array_population_1_a_syn.open("static_arrays/_static_array__array_population_1_a_syn", ios::in | ios::binary);
    if(f_static_array__array_population_1_a_syn.is_open())
    {
        f_static_array__array_population_1_a_syn.read(reinterpret_cast<char*>(_static_array__array_population_1_a_syn), 2048*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_1_a_syn." << endl;
    }
    ifstream f_static_array__array_population_1_bias;
    f_static_array__array_population_1_bias.open("static_arrays/_static_array__array_population_1_bias", ios::in | ios::binary);
    if(f_static_array__array_population_1_bias.is_open())
    {
        f_static_array__array_population_1_bias.read(reinterpret_cast<char*>(_static_array__array_population_1_bias), 2048*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_1_bias." << endl;
    }
    ifstream f_static_array__array_population_1_leak;
    f_static_array__array_population_1_leak.open("static_arrays/_static_array__array_population_1_leak", ios::in | ios::binary);
    if(f_static_array__array_population_1_leak.is_open())
    {
        f_static_array__array_population_1_leak.read(reinterpret_cast<char*>(_static_array__array_population_1_leak), 2048*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_1_leak." << endl;
    }
    ifstream f_static_array__array_population_1_r;
    f_static_array__array_population_1_r.open("static_arrays/_static_array__array_population_1_r", ios::in | ios::binary);
    if(f_static_array__array_population_1_r.is_open())
    {
        f_static_array__array_population_1_r.read(reinterpret_cast<char*>(_static_array__array_population_1_r), 2048*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_1_r." << endl;
    }
    ifstream f_static_array__array_population_1_v;
    f_static_array__array_population_1_v.open("static_arrays/_static_array__array_population_1_v", ios::in | ios::binary);
    if(f_static_array__array_population_1_v.is_open())
    {
        f_static_array__array_population_1_v.read(reinterpret_cast<char*>(_static_array__array_population_1_v), 2048*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_1_v." << endl;
    }
    ifstream f_static_array__array_population_1_v_reset;
    f_static_array__array_population_1_v_reset.open("static_arrays/_static_array__array_population_1_v_reset", ios::in | ios::binary);
    if(f_static_array__array_population_1_v_reset.is_open())
    {
        f_static_array__array_population_1_v_reset.read(reinterpret_cast<char*>(_static_array__array_population_1_v_reset), 2048*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_1_v_reset." << endl;
    }
    ifstream f_static_array__array_population_1_v_threshold;
    f_static_array__array_population_1_v_threshold.open("static_arrays/_static_array__array_population_1_v_threshold", ios::in | ios::binary);
    if(f_static_array__array_population_1_v_threshold.is_open())
    {
        f_static_array__array_population_1_v_threshold.read(reinterpret_cast<char*>(_static_array__array_population_1_v_threshold), 2048*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_1_v_threshold." << endl;
    }
    ifstream f_static_array__array_population_1_w_in;
    f_static_array__array_population_1_w_in.open("static_arrays/_static_array__array_population_1_w_in", ios::in | ios::binary);
    if(f_static_array__array_population_1_w_in.is_open())
    {
        f_static_array__array_population_1_w_in.read(reinterpret_cast<char*>(_static_array__array_population_1_w_in), 2048*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_1_w_in." << endl;
    }
    ifstream f_static_array__array_population_2_a_mem;
    f_static_array__array_population_2_a_mem.open("static_arrays/_static_array__array_population_2_a_mem", ios::in | ios::binary);
    if(f_static_array__array_population_2_a_mem.is_open())
    {
        f_static_array__array_population_2_a_mem.read(reinterpret_cast<char*>(_static_array__array_population_2_a_mem), 1024*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_2_a_mem." << endl;
    }
    ifstream f_static_array__array_population_2_a_syn;
    f_static_array__array_population_2_a_syn.open("static_arrays/_static_array__array_population_2_a_syn", ios::in | ios::binary);
    if(f_static_array__array_population_2_a_syn.is_open())
    {
        f_static_array__array_population_2_a_syn.read(reinterpret_cast<char*>(_static_array__array_population_2_a_syn), 1024*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_2_a_syn." << endl;
    }
    ifstream f_static_array__array_population_2_bias;
    f_static_array__array_population_2_bias.open("static_arrays/_static_array__array_population_2_bias", ios::in | ios::binary);
    if(f_static_array__array_population_2_bias.is_open())
    {
        f_static_array__array_population_2_bias.read(reinterpret_cast<char*>(_static_array__array_population_2_bias), 1024*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_2_bias." << endl;
    }
    ifstream f_static_array__array_population_2_leak;
    f_static_array__array_population_2_leak.open("static_arrays/_static_array__array_population_2_leak", ios::in | ios::binary);
    if(f_static_array__array_population_2_leak.is_open())
    {
        f_static_array__array_population_2_leak.read(reinterpret_cast<char*>(_static_array__array_population_2_leak), 1024*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_2_leak." << endl;
    }
    ifstream f_static_array__array_population_2_r;
    f_static_array__array_population_2_r.open("static_arrays/_static_array__array_population_2_r", ios::in | ios::binary);
    if(f_static_array__array_population_2_r.is_open())
    {
        f_static_array__array_population_2_r.read(reinterpret_cast<char*>(_static_array__array_population_2_r), 1024*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_2_r." << endl;
    }
    ifstream f_static_array__array_population_2_v;
    f_static_array__array_population_2_v.open("static_arrays/_static_array__array_population_2_v", ios::in | ios::binary);
    if(f_static_array__array_population_2_v.is_open())
    {
        f_static_array__array_population_2_v.read(reinterpret_cast<char*>(_static_array__array_population_2_v), 1024*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_2_v." << endl;
    }
    ifstream f_static_array__array_population_2_v_reset;
    f_static_array__array_population_2_v_reset.open("static_arrays/_static_array__array_population_2_v_reset", ios::in | ios::binary);
    if(f_static_array__array_population_2_v_reset.is_open())
    {
        f_static_array__array_population_2_v_reset.read(reinterpret_cast<char*>(_static_array__array_population_2_v_reset), 1024*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_2_v_reset." << endl;
    }
    ifstream f_static_array__array_population_2_v_threshold;
    f_static_array__array_population_2_v_threshold.open("static_arrays/_static_array__array_population_2_v_threshold", ios::in | ios::binary);
    if(f_static_array__array_population_2_v_threshold.is_open())
    {
        f_static_array__array_population_2_v_threshold.read(reinterpret_cast<char*>(_static_array__array_population_2_v_threshold), 1024*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_2_v_threshold." << endl;
    }
    ifstream f_static_array__array_population_2_w_in;
    f_static_array__array_population_2_w_in.open("static_arrays/_static_array__array_population_2_w_in", ios::in | ios::binary);
    if(f_static_array__array_population_2_w_in.is_open())
    {
        f_static_array__array_population_2_w_in.read(reinterpret_cast<char*>(_static_array__array_population_2_w_in), 1024*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_2_w_in." << endl;
    }
    ifstream f_static_array__array_population_3_a_mem;
    f_static_array__array_population_3_a_mem.open("static_arrays/_static_array__array_population_3_a_mem", ios::in | ios::binary);
    if(f_static_array__array_population_3_a_mem.is_open())
    {
        f_static_array__array_population_3_a_mem.read(reinterpret_cast<char*>(_static_array__array_population_3_a_mem), 10*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_3_a_mem." << endl;
    }
    ifstream f_static_array__array_population_3_a_syn;
    f_static_array__array_population_3_a_syn.open("static_arrays/_static_array__array_population_3_a_syn", ios::in | ios::binary);
    if(f_static_array__array_population_3_a_syn.is_open())
    {
        f_static_array__array_population_3_a_syn.read(reinterpret_cast<char*>(_static_array__array_population_3_a_syn), 10*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_3_a_syn." << endl;
    }
    ifstream f_static_array__array_population_3_bias;
    f_static_array__array_population_3_bias.open("static_arrays/_static_array__array_population_3_bias", ios::in | ios::binary);
    if(f_static_array__array_population_3_bias.is_open())
    {
        f_static_array__array_population_3_bias.read(reinterpret_cast<char*>(_static_array__array_population_3_bias), 10*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_3_bias." << endl;
    }
    ifstream f_static_array__array_population_3_leak;
    f_static_array__array_population_3_leak.open("static_arrays/_static_array__array_population_3_leak", ios::in | ios::binary);
    if(f_static_array__array_population_3_leak.is_open())
    {
        f_static_array__array_population_3_leak.read(reinterpret_cast<char*>(_static_array__array_population_3_leak), 10*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_3_leak." << endl;
    }
    ifstream f_static_array__array_population_3_r;
    f_static_array__array_population_3_r.open("static_arrays/_static_array__array_population_3_r", ios::in | ios::binary);
    if(f_static_array__array_population_3_r.is_open())
    {
        f_static_array__array_population_3_r.read(reinterpret_cast<char*>(_static_array__array_population_3_r), 10*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_3_r." << endl;
    }
    ifstream f_static_array__array_population_3_v;
    f_static_array__array_population_3_v.open("static_arrays/_static_array__array_population_3_v", ios::in | ios::binary);
    if(f_static_array__array_population_3_v.is_open())
    {
        f_static_array__array_population_3_v.read(reinterpret_cast<char*>(_static_array__array_population_3_v), 10*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_3_v." << endl;
    }
    ifstream f_static_array__array_population_3_v_reset;
    f_static_array__array_population_3_v_reset.open("static_arrays/_static_array__array_population_3_v_reset", ios::in | ios::binary);
    if(f_static_array__array_population_3_v_reset.is_open())
    {
        f_static_array__array_population_3_v_reset.read(reinterpret_cast<char*>(_static_array__array_population_3_v_reset), 10*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_3_v_reset." << endl;
    }
    ifstream f_static_array__array_population_3_v_threshold;
    f_static_array__array_population_3_v_threshold.open("static_arrays/_static_array__array_population_3_v_threshold", ios::in | ios::binary);
    if(f_static_array__array_population_3_v_threshold.is_open())
    {
        f_static_array__array_population_3_v_threshold.read(reinterpret_cast<char*>(_static_array__array_population_3_v_threshold), 10*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_3_v_threshold." << endl;
    }
    ifstream f_static_array__array_population_3_w_in;
    f_static_array__array_population_3_w_in.open("static_arrays/_static_array__array_population_3_w_in", ios::in | ios::binary);
    if(f_static_array__array_population_3_w_in.is_open())
    {
        f_static_array__array_population_3_w_in.read(reinterpret_cast<char*>(_static_array__array_population_3_w_in), 10*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__array_population_3_w_in." << endl;
    }
    ifstream f_static_array__array_projection_0_sources;
    f_static_array__array_projection_0_sources.open("static_arrays/_static_array__array_projection_0_sources", ios::in | ios::binary);
    if(f_static_array__array_projection_0_sources.is_open())
    {
        f_static_array__array_projection_0_sources.read(reinterpret_cast<char*>(_static_array__array_projection_0_sources), 15488*sizeof(int32_t));
    } else
    {
        std::cout << "Error opening static array _static_array__array_projection_0_sources." << endl;
    }
    ifstream f_static_array__array_projection_0_targets;
    f_static_array__array_projection_0_targets.open("static_arrays/_static_array__array_projection_0_targets", ios::in | ios::binary);
    if(f_static_array__array_projection_0_targets.is_open())
    {
        f_static_array__array_projection_0_targets.read(reinterpret_cast<char*>(_static_array__array_projection_0_targets), 15488*sizeof(int32_t));
    } else
    {
        std::cout << "Error opening static array _static_array__array_projection_0_targets." << endl;
    }
    ifstream f_static_array__array_projection_1_sources;
    f_static_array__array_projection_1_sources.open("static_arrays/_static_array__array_projection_1_sources", ios::in | ios::binary);
    if(f_static_array__array_projection_1_sources.is_open())
    {
        f_static_array__array_projection_1_sources.read(reinterpret_cast<char*>(_static_array__array_projection_1_sources), 819200*sizeof(int32_t));
    } else
    {
        std::cout << "Error opening static array _static_array__array_projection_1_sources." << endl;
    }
    ifstream f_static_array__array_projection_1_targets;
    f_static_array__array_projection_1_targets.open("static_arrays/_static_array__array_projection_1_targets", ios::in | ios::binary);
    if(f_static_array__array_projection_1_targets.is_open())
    {
        f_static_array__array_projection_1_targets.read(reinterpret_cast<char*>(_static_array__array_projection_1_targets), 819200*sizeof(int32_t));
    } else
    {
        std::cout << "Error opening static array _static_array__array_projection_1_targets." << endl;
    }
    ifstream f_static_array__array_projection_2_sources;
    f_static_array__array_projection_2_sources.open("static_arrays/_static_array__array_projection_2_sources", ios::in | ios::binary);
    if(f_static_array__array_projection_2_sources.is_open())
    {
        f_static_array__array_projection_2_sources.read(reinterpret_cast<char*>(_static_array__array_projection_2_sources), 10240*sizeof(int32_t));
    } else
    {
        std::cout << "Error opening static array _static_array__array_projection_2_sources." << endl;
    }
    ifstream f_static_array__array_projection_2_targets;
    f_static_array__array_projection_2_targets.open("static_arrays/_static_array__array_projection_2_targets", ios::in | ios::binary);
    if(f_static_array__array_projection_2_targets.is_open())
    {
        f_static_array__array_projection_2_targets.read(reinterpret_cast<char*>(_static_array__array_projection_2_targets), 10240*sizeof(int32_t));
    } else
    {
        std::cout << "Error opening static array _static_array__array_projection_2_targets." << endl;
    }
    ifstream f_static_array__dynamic_array_projection_0_w;
    f_static_array__dynamic_array_projection_0_w.open("static_arrays/_static_array__dynamic_array_projection_0_w", ios::in | ios::binary);
    if(f_static_array__dynamic_array_projection_0_w.is_open())
    {
        f_static_array__dynamic_array_projection_0_w.read(reinterpret_cast<char*>(_static_array__dynamic_array_projection_0_w), 15488*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__dynamic_array_projection_0_w." << endl;
    }
    ifstream f_static_array__dynamic_array_projection_1_w;
    f_static_array__dynamic_array_projection_1_w.open("static_arrays/_static_array__dynamic_array_projection_1_w", ios::in | ios::binary);
    if(f_static_array__dynamic_array_projection_1_w.is_open())
    {
        f_static_array__dynamic_array_projection_1_w.read(reinterpret_cast<char*>(_static_array__dynamic_array_projection_1_w), 819200*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__dynamic_array_projection_1_w." << endl;
    }
    ifstream f_static_array__dynamic_array_projection_2_w;
    f_static_array__dynamic_array_projection_2_w.open("static_arrays/_static_array__dynamic_array_projection_2_w", ios::in | ios::binary);
    if(f_static_array__dynamic_array_projection_2_w.is_open())
    {
        f_static_array__dynamic_array_projection_2_w.read(reinterpret_cast<char*>(_static_array__dynamic_array_projection_2_w), 10240*sizeof(double));
    } else
    {
        std::cout << "Error opening static array _static_array__dynamic_array_projection_2_w." << endl;
    }
    ifstream fneuro_drive_values;
    fneuro_drive_values.open("static_arrays/neuro_drive_values", ios::in | ios::binary);
    if(fneuro_drive_values.is_open())
    {
        fneuro_drive_values.read(reinterpret_cast<char*>(neuro_drive_values), 64*sizeof(double));
    } else
    {
        std::cout << "Error opening static array neuro_drive_values." << endl;
    }
}

void _write_arrays()
{
    using namespace brian;

    ofstream outfile__array_clock_1_dt;
    outfile__array_clock_1_dt.open(results_dir + "_array_clock_1_dt_1688521886", ios::binary | ios::out);
    if(outfile__array_clock_1_dt.is_open())
    {
        outfile__array_clock_1_dt.write(reinterpret_cast<char*>(_array_clock_1_dt), 1*sizeof(_array_clock_1_dt[0]));
        outfile__array_clock_1_dt.close();
    } else
    {
        std::cout << "Error writing output file for _array_clock_1_dt." << endl;
    }
    ofstream outfile__array_clock_1_t;
    outfile__array_clock_1_t.open(results_dir + "_array_clock_1_t_3719904815", ios::binary | ios::out);
    if(outfile__array_clock_1_t.is_open())
    {
        outfile__array_clock_1_t.write(reinterpret_cast<char*>(_array_clock_1_t), 1*sizeof(_array_clock_1_t[0]));
        outfile__array_clock_1_t.close();
    } else
    {
        std::cout << "Error writing output file for _array_clock_1_t." << endl;
    }
    ofstream outfile__array_clock_1_timestep;
    outfile__array_clock_1_timestep.open(results_dir + "_array_clock_1_timestep_3396024152", ios::binary | ios::out);
    if(outfile__array_clock_1_timestep.is_open())
    {
        outfile__array_clock_1_timestep.write(reinterpret_cast<char*>(_array_clock_1_timestep), 1*sizeof(_array_clock_1_timestep[0]));
        outfile__array_clock_1_timestep.close();
    } else
    {
        std::cout << "Error writing output file for _array_clock_1_timestep." << endl;
    }
    ofstream outfile__array_defaultclock_dt;
    outfile__array_defaultclock_dt.open(results_dir + "_array_defaultclock_dt_1978099143", ios::binary | ios::out);
    if(outfile__array_defaultclock_dt.is_open())
    {
        outfile__array_defaultclock_dt.write(reinterpret_cast<char*>(_array_defaultclock_dt), 1*sizeof(_array_defaultclock_dt[0]));
        outfile__array_defaultclock_dt.close();
    } else
    {
        std::cout << "Error writing output file for _array_defaultclock_dt." << endl;
    }
    ofstream outfile__array_defaultclock_t;
    outfile__array_defaultclock_t.open(results_dir + "_array_defaultclock_t_2669362164", ios::binary | ios::out);
    if(outfile__array_defaultclock_t.is_open())
    {
        outfile__array_defaultclock_t.write(reinterpret_cast<char*>(_array_defaultclock_t), 1*sizeof(_array_defaultclock_t[0]));
        outfile__array_defaultclock_t.close();
    } else
    {
        std::cout << "Error writing output file for _array_defaultclock_t." << endl;
    }
    ofstream outfile__array_defaultclock_timestep;
    outfile__array_defaultclock_timestep.open(results_dir + "_array_defaultclock_timestep_144223508", ios::binary | ios::out);
    if(outfile__array_defaultclock_timestep.is_open())
    {
        outfile__array_defaultclock_timestep.write(reinterpret_cast<char*>(_array_defaultclock_timestep), 1*sizeof(_array_defaultclock_timestep[0]));
        outfile__array_defaultclock_timestep.close();
    } else
    {
        std::cout << "Error writing output file for _array_defaultclock_timestep." << endl;
    }
    ofstream outfile__array_input_0__spikespace;
    outfile__array_input_0__spikespace.open(results_dir + "_array_input_0__spikespace_3494277772", ios::binary | ios::out);
    if(outfile__array_input_0__spikespace.is_open())
    {
        outfile__array_input_0__spikespace.write(reinterpret_cast<char*>(_array_input_0__spikespace), 65*sizeof(_array_input_0__spikespace[0]));
        outfile__array_input_0__spikespace.close();
    } else
    {
        std::cout << "Error writing output file for _array_input_0__spikespace." << endl;
    }
    ofstream outfile__array_input_0_column;
    outfile__array_input_0_column.open(results_dir + "_array_input_0_column_2815893171", ios::binary | ios::out);
    if(outfile__array_input_0_column.is_open())
    {
        outfile__array_input_0_column.write(reinterpret_cast<char*>(_array_input_0_column), 64*sizeof(_array_input_0_column[0]));
        outfile__array_input_0_column.close();
    } else
    {
        std::cout << "Error writing output file for _array_input_0_column." << endl;
    }
    ofstream outfile__array_input_0_i;
    outfile__array_input_0_i.open(results_dir + "_array_input_0_i_3470768336", ios::binary | ios::out);
    if(outfile__array_input_0_i.is_open())
    {
        outfile__array_input_0_i.write(reinterpret_cast<char*>(_array_input_0_i), 64*sizeof(_array_input_0_i[0]));
        outfile__array_input_0_i.close();
    } else
    {
        std::cout << "Error writing output file for _array_input_0_i." << endl;
    }
    ofstream outfile__array_input_0_x;
    outfile__array_input_0_x.open(results_dir + "_array_input_0_x_2758776866", ios::binary | ios::out);
    if(outfile__array_input_0_x.is_open())
    {
        outfile__array_input_0_x.write(reinterpret_cast<char*>(_array_input_0_x), 64*sizeof(_array_input_0_x[0]));
        outfile__array_input_0_x.close();
    } else
    {
        std::cout << "Error writing output file for _array_input_0_x." << endl;
    }
    ofstream outfile__array_population_1__spikespace;
    outfile__array_population_1__spikespace.open(results_dir + "_array_population_1__spikespace_2447727350", ios::binary | ios::out);
    if(outfile__array_population_1__spikespace.is_open())
    {
        outfile__array_population_1__spikespace.write(reinterpret_cast<char*>(_array_population_1__spikespace), 2049*sizeof(_array_population_1__spikespace[0]));
        outfile__array_population_1__spikespace.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_1__spikespace." << endl;
    }
    ofstream outfile__array_population_1_a_mem;
    outfile__array_population_1_a_mem.open(results_dir + "_array_population_1_a_mem_829657580", ios::binary | ios::out);
    if(outfile__array_population_1_a_mem.is_open())
    {
        outfile__array_population_1_a_mem.write(reinterpret_cast<char*>(_array_population_1_a_mem), 2048*sizeof(_array_population_1_a_mem[0]));
        outfile__array_population_1_a_mem.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_1_a_mem." << endl;
    }
    ofstream outfile__array_population_1_a_syn;
    outfile__array_population_1_a_syn.open(results_dir + "_array_population_1_a_syn_1488262001", ios::binary | ios::out);
    if(outfile__array_population_1_a_syn.is_open())
    {
        outfile__array_population_1_a_syn.write(reinterpret_cast<char*>(_array_population_1_a_syn), 2048*sizeof(_array_population_1_a_syn[0]));
        outfile__array_population_1_a_syn.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_1_a_syn." << endl;
    }
    ofstream outfile__array_population_1_arriving;
    outfile__array_population_1_arriving.open(results_dir + "_array_population_1_arriving_2403597514", ios::binary | ios::out);
    if(outfile__array_population_1_arriving.is_open())
    {
        outfile__array_population_1_arriving.write(reinterpret_cast<char*>(_array_population_1_arriving), 2048*sizeof(_array_population_1_arriving[0]));
        outfile__array_population_1_arriving.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_1_arriving." << endl;
    }
    ofstream outfile__array_population_1_bias;
    outfile__array_population_1_bias.open(results_dir + "_array_population_1_bias_2017967988", ios::binary | ios::out);
    if(outfile__array_population_1_bias.is_open())
    {
        outfile__array_population_1_bias.write(reinterpret_cast<char*>(_array_population_1_bias), 2048*sizeof(_array_population_1_bias[0]));
        outfile__array_population_1_bias.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_1_bias." << endl;
    }
    ofstream outfile__array_population_1_cur;
    outfile__array_population_1_cur.open(results_dir + "_array_population_1_cur_739758249", ios::binary | ios::out);
    if(outfile__array_population_1_cur.is_open())
    {
        outfile__array_population_1_cur.write(reinterpret_cast<char*>(_array_population_1_cur), 2048*sizeof(_array_population_1_cur[0]));
        outfile__array_population_1_cur.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_1_cur." << endl;
    }
    ofstream outfile__array_population_1_i;
    outfile__array_population_1_i.open(results_dir + "_array_population_1_i_2867910771", ios::binary | ios::out);
    if(outfile__array_population_1_i.is_open())
    {
        outfile__array_population_1_i.write(reinterpret_cast<char*>(_array_population_1_i), 2048*sizeof(_array_population_1_i[0]));
        outfile__array_population_1_i.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_1_i." << endl;
    }
    ofstream outfile__array_population_1_leak;
    outfile__array_population_1_leak.open(results_dir + "_array_population_1_leak_2196679029", ios::binary | ios::out);
    if(outfile__array_population_1_leak.is_open())
    {
        outfile__array_population_1_leak.write(reinterpret_cast<char*>(_array_population_1_leak), 2048*sizeof(_array_population_1_leak[0]));
        outfile__array_population_1_leak.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_1_leak." << endl;
    }
    ofstream outfile__array_population_1_r;
    outfile__array_population_1_r.open(results_dir + "_array_population_1_r_546640287", ios::binary | ios::out);
    if(outfile__array_population_1_r.is_open())
    {
        outfile__array_population_1_r.write(reinterpret_cast<char*>(_array_population_1_r), 2048*sizeof(_array_population_1_r[0]));
        outfile__array_population_1_r.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_1_r." << endl;
    }
    ofstream outfile__array_population_1_v;
    outfile__array_population_1_v.open(results_dir + "_array_population_1_v_670619014", ios::binary | ios::out);
    if(outfile__array_population_1_v.is_open())
    {
        outfile__array_population_1_v.write(reinterpret_cast<char*>(_array_population_1_v), 2048*sizeof(_array_population_1_v[0]));
        outfile__array_population_1_v.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_1_v." << endl;
    }
    ofstream outfile__array_population_1_v_reset;
    outfile__array_population_1_v_reset.open(results_dir + "_array_population_1_v_reset_763968016", ios::binary | ios::out);
    if(outfile__array_population_1_v_reset.is_open())
    {
        outfile__array_population_1_v_reset.write(reinterpret_cast<char*>(_array_population_1_v_reset), 2048*sizeof(_array_population_1_v_reset[0]));
        outfile__array_population_1_v_reset.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_1_v_reset." << endl;
    }
    ofstream outfile__array_population_1_v_threshold;
    outfile__array_population_1_v_threshold.open(results_dir + "_array_population_1_v_threshold_905576022", ios::binary | ios::out);
    if(outfile__array_population_1_v_threshold.is_open())
    {
        outfile__array_population_1_v_threshold.write(reinterpret_cast<char*>(_array_population_1_v_threshold), 2048*sizeof(_array_population_1_v_threshold[0]));
        outfile__array_population_1_v_threshold.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_1_v_threshold." << endl;
    }
    ofstream outfile__array_population_1_w_in;
    outfile__array_population_1_w_in.open(results_dir + "_array_population_1_w_in_2495178538", ios::binary | ios::out);
    if(outfile__array_population_1_w_in.is_open())
    {
        outfile__array_population_1_w_in.write(reinterpret_cast<char*>(_array_population_1_w_in), 2048*sizeof(_array_population_1_w_in[0]));
        outfile__array_population_1_w_in.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_1_w_in." << endl;
    }
    ofstream outfile__array_population_2__spikespace;
    outfile__array_population_2__spikespace.open(results_dir + "_array_population_2__spikespace_741291576", ios::binary | ios::out);
    if(outfile__array_population_2__spikespace.is_open())
    {
        outfile__array_population_2__spikespace.write(reinterpret_cast<char*>(_array_population_2__spikespace), 1025*sizeof(_array_population_2__spikespace[0]));
        outfile__array_population_2__spikespace.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_2__spikespace." << endl;
    }
    ofstream outfile__array_population_2_a_mem;
    outfile__array_population_2_a_mem.open(results_dir + "_array_population_2_a_mem_10193777", ios::binary | ios::out);
    if(outfile__array_population_2_a_mem.is_open())
    {
        outfile__array_population_2_a_mem.write(reinterpret_cast<char*>(_array_population_2_a_mem), 1024*sizeof(_array_population_2_a_mem[0]));
        outfile__array_population_2_a_mem.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_2_a_mem." << endl;
    }
    ofstream outfile__array_population_2_a_syn;
    outfile__array_population_2_a_syn.open(results_dir + "_array_population_2_a_syn_1767705068", ios::binary | ios::out);
    if(outfile__array_population_2_a_syn.is_open())
    {
        outfile__array_population_2_a_syn.write(reinterpret_cast<char*>(_array_population_2_a_syn), 1024*sizeof(_array_population_2_a_syn[0]));
        outfile__array_population_2_a_syn.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_2_a_syn." << endl;
    }
    ofstream outfile__array_population_2_arriving;
    outfile__array_population_2_arriving.open(results_dir + "_array_population_2_arriving_1685342153", ios::binary | ios::out);
    if(outfile__array_population_2_arriving.is_open())
    {
        outfile__array_population_2_arriving.write(reinterpret_cast<char*>(_array_population_2_arriving), 1024*sizeof(_array_population_2_arriving[0]));
        outfile__array_population_2_arriving.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_2_arriving." << endl;
    }
    ofstream outfile__array_population_2_bias;
    outfile__array_population_2_bias.open(results_dir + "_array_population_2_bias_4275293658", ios::binary | ios::out);
    if(outfile__array_population_2_bias.is_open())
    {
        outfile__array_population_2_bias.write(reinterpret_cast<char*>(_array_population_2_bias), 1024*sizeof(_array_population_2_bias[0]));
        outfile__array_population_2_bias.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_2_bias." << endl;
    }
    ofstream outfile__array_population_2_cur;
    outfile__array_population_2_cur.open(results_dir + "_array_population_2_cur_1807198841", ios::binary | ios::out);
    if(outfile__array_population_2_cur.is_open())
    {
        outfile__array_population_2_cur.write(reinterpret_cast<char*>(_array_population_2_cur), 1024*sizeof(_array_population_2_cur[0]));
        outfile__array_population_2_cur.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_2_cur." << endl;
    }
    ofstream outfile__array_population_2_i;
    outfile__array_population_2_i.open(results_dir + "_array_population_2_i_2830525994", ios::binary | ios::out);
    if(outfile__array_population_2_i.is_open())
    {
        outfile__array_population_2_i.write(reinterpret_cast<char*>(_array_population_2_i), 1024*sizeof(_array_population_2_i[0]));
        outfile__array_population_2_i.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_2_i." << endl;
    }
    ofstream outfile__array_population_2_leak;
    outfile__array_population_2_leak.open(results_dir + "_array_population_2_leak_75160539", ios::binary | ios::out);
    if(outfile__array_population_2_leak.is_open())
    {
        outfile__array_population_2_leak.write(reinterpret_cast<char*>(_array_population_2_leak), 1024*sizeof(_array_population_2_leak[0]));
        outfile__array_population_2_leak.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_2_leak." << endl;
    }
    ofstream outfile__array_population_2_r;
    outfile__array_population_2_r.open(results_dir + "_array_population_2_r_584298438", ios::binary | ios::out);
    if(outfile__array_population_2_r.is_open())
    {
        outfile__array_population_2_r.write(reinterpret_cast<char*>(_array_population_2_r), 1024*sizeof(_array_population_2_r[0]));
        outfile__array_population_2_r.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_2_r." << endl;
    }
    ofstream outfile__array_population_2_v;
    outfile__array_population_2_v.open(results_dir + "_array_population_2_v_633236447", ios::binary | ios::out);
    if(outfile__array_population_2_v.is_open())
    {
        outfile__array_population_2_v.write(reinterpret_cast<char*>(_array_population_2_v), 1024*sizeof(_array_population_2_v[0]));
        outfile__array_population_2_v.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_2_v." << endl;
    }
    ofstream outfile__array_population_2_v_reset;
    outfile__array_population_2_v_reset.open(results_dir + "_array_population_2_v_reset_335808213", ios::binary | ios::out);
    if(outfile__array_population_2_v_reset.is_open())
    {
        outfile__array_population_2_v_reset.write(reinterpret_cast<char*>(_array_population_2_v_reset), 1024*sizeof(_array_population_2_v_reset[0]));
        outfile__array_population_2_v_reset.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_2_v_reset." << endl;
    }
    ofstream outfile__array_population_2_v_threshold;
    outfile__array_population_2_v_threshold.open(results_dir + "_array_population_2_v_threshold_2285081240", ios::binary | ios::out);
    if(outfile__array_population_2_v_threshold.is_open())
    {
        outfile__array_population_2_v_threshold.write(reinterpret_cast<char*>(_array_population_2_v_threshold), 1024*sizeof(_array_population_2_v_threshold[0]));
        outfile__array_population_2_v_threshold.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_2_v_threshold." << endl;
    }
    ofstream outfile__array_population_2_w_in;
    outfile__array_population_2_w_in.open(results_dir + "_array_population_2_w_in_304944516", ios::binary | ios::out);
    if(outfile__array_population_2_w_in.is_open())
    {
        outfile__array_population_2_w_in.write(reinterpret_cast<char*>(_array_population_2_w_in), 1024*sizeof(_array_population_2_w_in[0]));
        outfile__array_population_2_w_in.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_2_w_in." << endl;
    }
    ofstream outfile__array_population_3__spikespace;
    outfile__array_population_3__spikespace.open(results_dir + "_array_population_3__spikespace_4055494589", ios::binary | ios::out);
    if(outfile__array_population_3__spikespace.is_open())
    {
        outfile__array_population_3__spikespace.write(reinterpret_cast<char*>(_array_population_3__spikespace), 11*sizeof(_array_population_3__spikespace[0]));
        outfile__array_population_3__spikespace.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_3__spikespace." << endl;
    }
    ofstream outfile__array_population_3_a_mem;
    outfile__array_population_3_a_mem.open(results_dir + "_array_population_3_a_mem_2800517317", ios::binary | ios::out);
    if(outfile__array_population_3_a_mem.is_open())
    {
        outfile__array_population_3_a_mem.write(reinterpret_cast<char*>(_array_population_3_a_mem), 10*sizeof(_array_population_3_a_mem[0]));
        outfile__array_population_3_a_mem.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_3_a_mem." << endl;
    }
    ofstream outfile__array_population_3_a_syn;
    outfile__array_population_3_a_syn.open(results_dir + "_array_population_3_a_syn_3475636824", ios::binary | ios::out);
    if(outfile__array_population_3_a_syn.is_open())
    {
        outfile__array_population_3_a_syn.write(reinterpret_cast<char*>(_array_population_3_a_syn), 10*sizeof(_array_population_3_a_syn[0]));
        outfile__array_population_3_a_syn.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_3_a_syn." << endl;
    }
    ofstream outfile__array_population_3_arriving;
    outfile__array_population_3_arriving.open(results_dir + "_array_population_3_arriving_2343972087", ios::binary | ios::out);
    if(outfile__array_population_3_arriving.is_open())
    {
        outfile__array_population_3_arriving.write(reinterpret_cast<char*>(_array_population_3_arriving), 10*sizeof(_array_population_3_arriving[0]));
        outfile__array_population_3_arriving.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_3_arriving." << endl;
    }
    ofstream outfile__array_population_3_bias;
    outfile__array_population_3_bias.open(results_dir + "_array_population_3_bias_898571903", ios::binary | ios::out);
    if(outfile__array_population_3_bias.is_open())
    {
        outfile__array_population_3_bias.write(reinterpret_cast<char*>(_array_population_3_bias), 10*sizeof(_array_population_3_bias[0]));
        outfile__array_population_3_bias.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_3_bias." << endl;
    }
    ofstream outfile__array_population_3_cur;
    outfile__array_population_3_cur.open(results_dir + "_array_population_3_cur_1456964553", ios::binary | ios::out);
    if(outfile__array_population_3_cur.is_open())
    {
        outfile__array_population_3_cur.write(reinterpret_cast<char*>(_array_population_3_cur), 10*sizeof(_array_population_3_cur[0]));
        outfile__array_population_3_cur.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_3_cur." << endl;
    }
    ofstream outfile__array_population_3_i;
    outfile__array_population_3_i.open(results_dir + "_array_population_3_i_2842954781", ios::binary | ios::out);
    if(outfile__array_population_3_i.is_open())
    {
        outfile__array_population_3_i.write(reinterpret_cast<char*>(_array_population_3_i), 10*sizeof(_array_population_3_i[0]));
        outfile__array_population_3_i.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_3_i." << endl;
    }
    ofstream outfile__array_population_3_leak;
    outfile__array_population_3_leak.open(results_dir + "_array_population_3_leak_3475376254", ios::binary | ios::out);
    if(outfile__array_population_3_leak.is_open())
    {
        outfile__array_population_3_leak.write(reinterpret_cast<char*>(_array_population_3_leak), 10*sizeof(_array_population_3_leak[0]));
        outfile__array_population_3_leak.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_3_leak." << endl;
    }
    ofstream outfile__array_population_3_r;
    outfile__array_population_3_r.open(results_dir + "_array_population_3_r_588367345", ios::binary | ios::out);
    if(outfile__array_population_3_r.is_open())
    {
        outfile__array_population_3_r.write(reinterpret_cast<char*>(_array_population_3_r), 10*sizeof(_array_population_3_r[0]));
        outfile__array_population_3_r.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_3_r." << endl;
    }
    ofstream outfile__array_population_3_v;
    outfile__array_population_3_v.open(results_dir + "_array_population_3_v_612106728", ios::binary | ios::out);
    if(outfile__array_population_3_v.is_open())
    {
        outfile__array_population_3_v.write(reinterpret_cast<char*>(_array_population_3_v), 10*sizeof(_array_population_3_v[0]));
        outfile__array_population_3_v.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_3_v." << endl;
    }
    ofstream outfile__array_population_3_v_reset;
    outfile__array_population_3_v_reset.open(results_dir + "_array_population_3_v_reset_58659478", ios::binary | ios::out);
    if(outfile__array_population_3_v_reset.is_open())
    {
        outfile__array_population_3_v_reset.write(reinterpret_cast<char*>(_array_population_3_v_reset), 10*sizeof(_array_population_3_v_reset[0]));
        outfile__array_population_3_v_reset.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_3_v_reset." << endl;
    }
    ofstream outfile__array_population_3_v_threshold;
    outfile__array_population_3_v_threshold.open(results_dir + "_array_population_3_v_threshold_1436896029", ios::binary | ios::out);
    if(outfile__array_population_3_v_threshold.is_open())
    {
        outfile__array_population_3_v_threshold.write(reinterpret_cast<char*>(_array_population_3_v_threshold), 10*sizeof(_array_population_3_v_threshold[0]));
        outfile__array_population_3_v_threshold.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_3_v_threshold." << endl;
    }
    ofstream outfile__array_population_3_w_in;
    outfile__array_population_3_w_in.open(results_dir + "_array_population_3_w_in_3648112161", ios::binary | ios::out);
    if(outfile__array_population_3_w_in.is_open())
    {
        outfile__array_population_3_w_in.write(reinterpret_cast<char*>(_array_population_3_w_in), 10*sizeof(_array_population_3_w_in[0]));
        outfile__array_population_3_w_in.close();
    } else
    {
        std::cout << "Error writing output file for _array_population_3_w_in." << endl;
    }
    ofstream outfile__array_projection_0_N;
    outfile__array_projection_0_N.open(results_dir + "_array_projection_0_N_1819443271", ios::binary | ios::out);
    if(outfile__array_projection_0_N.is_open())
    {
        outfile__array_projection_0_N.write(reinterpret_cast<char*>(_array_projection_0_N), 1*sizeof(_array_projection_0_N[0]));
        outfile__array_projection_0_N.close();
    } else
    {
        std::cout << "Error writing output file for _array_projection_0_N." << endl;
    }
    ofstream outfile__array_projection_0_sources;
    outfile__array_projection_0_sources.open(results_dir + "_array_projection_0_sources_3381118238", ios::binary | ios::out);
    if(outfile__array_projection_0_sources.is_open())
    {
        outfile__array_projection_0_sources.write(reinterpret_cast<char*>(_array_projection_0_sources), 15488*sizeof(_array_projection_0_sources[0]));
        outfile__array_projection_0_sources.close();
    } else
    {
        std::cout << "Error writing output file for _array_projection_0_sources." << endl;
    }
    ofstream outfile__array_projection_0_targets;
    outfile__array_projection_0_targets.open(results_dir + "_array_projection_0_targets_3029974783", ios::binary | ios::out);
    if(outfile__array_projection_0_targets.is_open())
    {
        outfile__array_projection_0_targets.write(reinterpret_cast<char*>(_array_projection_0_targets), 15488*sizeof(_array_projection_0_targets[0]));
        outfile__array_projection_0_targets.close();
    } else
    {
        std::cout << "Error writing output file for _array_projection_0_targets." << endl;
    }
    ofstream outfile__array_projection_1_N;
    outfile__array_projection_1_N.open(results_dir + "_array_projection_1_N_1840310896", ios::binary | ios::out);
    if(outfile__array_projection_1_N.is_open())
    {
        outfile__array_projection_1_N.write(reinterpret_cast<char*>(_array_projection_1_N), 1*sizeof(_array_projection_1_N[0]));
        outfile__array_projection_1_N.close();
    } else
    {
        std::cout << "Error writing output file for _array_projection_1_N." << endl;
    }
    ofstream outfile__array_projection_1_sources;
    outfile__array_projection_1_sources.open(results_dir + "_array_projection_1_sources_3741110621", ios::binary | ios::out);
    if(outfile__array_projection_1_sources.is_open())
    {
        outfile__array_projection_1_sources.write(reinterpret_cast<char*>(_array_projection_1_sources), 819200*sizeof(_array_projection_1_sources[0]));
        outfile__array_projection_1_sources.close();
    } else
    {
        std::cout << "Error writing output file for _array_projection_1_sources." << endl;
    }
    ofstream outfile__array_projection_1_targets;
    outfile__array_projection_1_targets.open(results_dir + "_array_projection_1_targets_2749541052", ios::binary | ios::out);
    if(outfile__array_projection_1_targets.is_open())
    {
        outfile__array_projection_1_targets.write(reinterpret_cast<char*>(_array_projection_1_targets), 819200*sizeof(_array_projection_1_targets[0]));
        outfile__array_projection_1_targets.close();
    } else
    {
        std::cout << "Error writing output file for _array_projection_1_targets." << endl;
    }
    ofstream outfile__array_projection_2_N;
    outfile__array_projection_2_N.open(results_dir + "_array_projection_2_N_1878414377", ios::binary | ios::out);
    if(outfile__array_projection_2_N.is_open())
    {
        outfile__array_projection_2_N.write(reinterpret_cast<char*>(_array_projection_2_N), 1*sizeof(_array_projection_2_N[0]));
        outfile__array_projection_2_N.close();
    } else
    {
        std::cout << "Error writing output file for _array_projection_2_N." << endl;
    }
    ofstream outfile__array_projection_2_sources;
    outfile__array_projection_2_sources.open(results_dir + "_array_projection_2_sources_3883003288", ios::binary | ios::out);
    if(outfile__array_projection_2_sources.is_open())
    {
        outfile__array_projection_2_sources.write(reinterpret_cast<char*>(_array_projection_2_sources), 10240*sizeof(_array_projection_2_sources[0]));
        outfile__array_projection_2_sources.close();
    } else
    {
        std::cout << "Error writing output file for _array_projection_2_sources." << endl;
    }
    ofstream outfile__array_projection_2_targets;
    outfile__array_projection_2_targets.open(results_dir + "_array_projection_2_targets_2591004281", ios::binary | ios::out);
    if(outfile__array_projection_2_targets.is_open())
    {
        outfile__array_projection_2_targets.write(reinterpret_cast<char*>(_array_projection_2_targets), 10240*sizeof(_array_projection_2_targets[0]));
        outfile__array_projection_2_targets.close();
    } else
    {
        std::cout << "Error writing output file for _array_projection_2_targets." << endl;
    }
    ofstream outfile__array_spikes_1__source_idx;
    outfile__array_spikes_1__source_idx.open(results_dir + "_array_spikes_1__source_idx_55916171", ios::binary | ios::out);
    if(outfile__array_spikes_1__source_idx.is_open())
    {
        outfile__array_spikes_1__source_idx.write(reinterpret_cast<char*>(_array_spikes_1__source_idx), 2048*sizeof(_array_spikes_1__source_idx[0]));
        outfile__array_spikes_1__source_idx.close();
    } else
    {
        std::cout << "Error writing output file for _array_spikes_1__source_idx." << endl;
    }
    ofstream outfile__array_spikes_1_count;
    outfile__array_spikes_1_count.open(results_dir + "_array_spikes_1_count_1021008832", ios::binary | ios::out);
    if(outfile__array_spikes_1_count.is_open())
    {
        outfile__array_spikes_1_count.write(reinterpret_cast<char*>(_array_spikes_1_count), 2048*sizeof(_array_spikes_1_count[0]));
        outfile__array_spikes_1_count.close();
    } else
    {
        std::cout << "Error writing output file for _array_spikes_1_count." << endl;
    }
    ofstream outfile__array_spikes_1_N;
    outfile__array_spikes_1_N.open(results_dir + "_array_spikes_1_N_2706065430", ios::binary | ios::out);
    if(outfile__array_spikes_1_N.is_open())
    {
        outfile__array_spikes_1_N.write(reinterpret_cast<char*>(_array_spikes_1_N), 1*sizeof(_array_spikes_1_N[0]));
        outfile__array_spikes_1_N.close();
    } else
    {
        std::cout << "Error writing output file for _array_spikes_1_N." << endl;
    }
    ofstream outfile__array_spikes_2__source_idx;
    outfile__array_spikes_2__source_idx.open(results_dir + "_array_spikes_2__source_idx_3198114373", ios::binary | ios::out);
    if(outfile__array_spikes_2__source_idx.is_open())
    {
        outfile__array_spikes_2__source_idx.write(reinterpret_cast<char*>(_array_spikes_2__source_idx), 1024*sizeof(_array_spikes_2__source_idx[0]));
        outfile__array_spikes_2__source_idx.close();
    } else
    {
        std::cout << "Error writing output file for _array_spikes_2__source_idx." << endl;
    }
    ofstream outfile__array_spikes_2_count;
    outfile__array_spikes_2_count.open(results_dir + "_array_spikes_2_count_221462877", ios::binary | ios::out);
    if(outfile__array_spikes_2_count.is_open())
    {
        outfile__array_spikes_2_count.write(reinterpret_cast<char*>(_array_spikes_2_count), 1024*sizeof(_array_spikes_2_count[0]));
        outfile__array_spikes_2_count.close();
    } else
    {
        std::cout << "Error writing output file for _array_spikes_2_count." << endl;
    }
    ofstream outfile__array_spikes_2_N;
    outfile__array_spikes_2_N.open(results_dir + "_array_spikes_2_N_2735601231", ios::binary | ios::out);
    if(outfile__array_spikes_2_N.is_open())
    {
        outfile__array_spikes_2_N.write(reinterpret_cast<char*>(_array_spikes_2_N), 1*sizeof(_array_spikes_2_N[0]));
        outfile__array_spikes_2_N.close();
    } else
    {
        std::cout << "Error writing output file for _array_spikes_2_N." << endl;
    }
    ofstream outfile__array_spikes_3__source_idx;
    outfile__array_spikes_3__source_idx.open(results_dir + "_array_spikes_3__source_idx_1661567936", ios::binary | ios::out);
    if(outfile__array_spikes_3__source_idx.is_open())
    {
        outfile__array_spikes_3__source_idx.write(reinterpret_cast<char*>(_array_spikes_3__source_idx), 10*sizeof(_array_spikes_3__source_idx[0]));
        outfile__array_spikes_3__source_idx.close();
    } else
    {
        std::cout << "Error writing output file for _array_spikes_3__source_idx." << endl;
    }
    ofstream outfile__array_spikes_3_count;
    outfile__array_spikes_3_count.open(results_dir + "_array_spikes_3_count_2873379561", ios::binary | ios::out);
    if(outfile__array_spikes_3_count.is_open())
    {
        outfile__array_spikes_3_count.write(reinterpret_cast<char*>(_array_spikes_3_count), 10*sizeof(_array_spikes_3_count[0]));
        outfile__array_spikes_3_count.close();
    } else
    {
        std::cout << "Error writing output file for _array_spikes_3_count." << endl;
    }
    ofstream outfile__array_spikes_3_N;
    outfile__array_spikes_3_N.open(results_dir + "_array_spikes_3_N_2731515000", ios::binary | ios::out);
    if(outfile__array_spikes_3_N.is_open())
    {
        outfile__array_spikes_3_N.write(reinterpret_cast<char*>(_array_spikes_3_N), 1*sizeof(_array_spikes_3_N[0]));
        outfile__array_spikes_3_N.close();
    } else
    {
        std::cout << "Error writing output file for _array_spikes_3_N." << endl;
    }

    ofstream outfile__dynamic_array_projection_0__synaptic_post;
    outfile__dynamic_array_projection_0__synaptic_post.open(results_dir + "_dynamic_array_projection_0__synaptic_post_2784149701", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_0__synaptic_post.is_open())
    {
        if (! _dynamic_array_projection_0__synaptic_post.empty() )
        {
            outfile__dynamic_array_projection_0__synaptic_post.write(reinterpret_cast<char*>(&_dynamic_array_projection_0__synaptic_post[0]), _dynamic_array_projection_0__synaptic_post.size()*sizeof(_dynamic_array_projection_0__synaptic_post[0]));
            outfile__dynamic_array_projection_0__synaptic_post.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_0__synaptic_post." << endl;
    }
    ofstream outfile__dynamic_array_projection_0__synaptic_pre;
    outfile__dynamic_array_projection_0__synaptic_pre.open(results_dir + "_dynamic_array_projection_0__synaptic_pre_4238804792", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_0__synaptic_pre.is_open())
    {
        if (! _dynamic_array_projection_0__synaptic_pre.empty() )
        {
            outfile__dynamic_array_projection_0__synaptic_pre.write(reinterpret_cast<char*>(&_dynamic_array_projection_0__synaptic_pre[0]), _dynamic_array_projection_0__synaptic_pre.size()*sizeof(_dynamic_array_projection_0__synaptic_pre[0]));
            outfile__dynamic_array_projection_0__synaptic_pre.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_0__synaptic_pre." << endl;
    }
    ofstream outfile__dynamic_array_projection_0_delay;
    outfile__dynamic_array_projection_0_delay.open(results_dir + "_dynamic_array_projection_0_delay_189730886", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_0_delay.is_open())
    {
        if (! _dynamic_array_projection_0_delay.empty() )
        {
            outfile__dynamic_array_projection_0_delay.write(reinterpret_cast<char*>(&_dynamic_array_projection_0_delay[0]), _dynamic_array_projection_0_delay.size()*sizeof(_dynamic_array_projection_0_delay[0]));
            outfile__dynamic_array_projection_0_delay.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_0_delay." << endl;
    }
    ofstream outfile__dynamic_array_projection_0_N_incoming;
    outfile__dynamic_array_projection_0_N_incoming.open(results_dir + "_dynamic_array_projection_0_N_incoming_2612991303", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_0_N_incoming.is_open())
    {
        if (! _dynamic_array_projection_0_N_incoming.empty() )
        {
            outfile__dynamic_array_projection_0_N_incoming.write(reinterpret_cast<char*>(&_dynamic_array_projection_0_N_incoming[0]), _dynamic_array_projection_0_N_incoming.size()*sizeof(_dynamic_array_projection_0_N_incoming[0]));
            outfile__dynamic_array_projection_0_N_incoming.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_0_N_incoming." << endl;
    }
    ofstream outfile__dynamic_array_projection_0_N_outgoing;
    outfile__dynamic_array_projection_0_N_outgoing.open(results_dir + "_dynamic_array_projection_0_N_outgoing_3164824989", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_0_N_outgoing.is_open())
    {
        if (! _dynamic_array_projection_0_N_outgoing.empty() )
        {
            outfile__dynamic_array_projection_0_N_outgoing.write(reinterpret_cast<char*>(&_dynamic_array_projection_0_N_outgoing[0]), _dynamic_array_projection_0_N_outgoing.size()*sizeof(_dynamic_array_projection_0_N_outgoing[0]));
            outfile__dynamic_array_projection_0_N_outgoing.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_0_N_outgoing." << endl;
    }
    ofstream outfile__dynamic_array_projection_0_w;
    outfile__dynamic_array_projection_0_w.open(results_dir + "_dynamic_array_projection_0_w_4007394617", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_0_w.is_open())
    {
        if (! _dynamic_array_projection_0_w.empty() )
        {
            outfile__dynamic_array_projection_0_w.write(reinterpret_cast<char*>(&_dynamic_array_projection_0_w[0]), _dynamic_array_projection_0_w.size()*sizeof(_dynamic_array_projection_0_w[0]));
            outfile__dynamic_array_projection_0_w.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_0_w." << endl;
    }
    ofstream outfile__dynamic_array_projection_1__synaptic_post;
    outfile__dynamic_array_projection_1__synaptic_post.open(results_dir + "_dynamic_array_projection_1__synaptic_post_194662740", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_1__synaptic_post.is_open())
    {
        if (! _dynamic_array_projection_1__synaptic_post.empty() )
        {
            outfile__dynamic_array_projection_1__synaptic_post.write(reinterpret_cast<char*>(&_dynamic_array_projection_1__synaptic_post[0]), _dynamic_array_projection_1__synaptic_post.size()*sizeof(_dynamic_array_projection_1__synaptic_post[0]));
            outfile__dynamic_array_projection_1__synaptic_post.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_1__synaptic_post." << endl;
    }
    ofstream outfile__dynamic_array_projection_1__synaptic_pre;
    outfile__dynamic_array_projection_1__synaptic_pre.open(results_dir + "_dynamic_array_projection_1__synaptic_pre_1163713744", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_1__synaptic_pre.is_open())
    {
        if (! _dynamic_array_projection_1__synaptic_pre.empty() )
        {
            outfile__dynamic_array_projection_1__synaptic_pre.write(reinterpret_cast<char*>(&_dynamic_array_projection_1__synaptic_pre[0]), _dynamic_array_projection_1__synaptic_pre.size()*sizeof(_dynamic_array_projection_1__synaptic_pre[0]));
            outfile__dynamic_array_projection_1__synaptic_pre.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_1__synaptic_pre." << endl;
    }
    ofstream outfile__dynamic_array_projection_1_delay;
    outfile__dynamic_array_projection_1_delay.open(results_dir + "_dynamic_array_projection_1_delay_2906135538", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_1_delay.is_open())
    {
        if (! _dynamic_array_projection_1_delay.empty() )
        {
            outfile__dynamic_array_projection_1_delay.write(reinterpret_cast<char*>(&_dynamic_array_projection_1_delay[0]), _dynamic_array_projection_1_delay.size()*sizeof(_dynamic_array_projection_1_delay[0]));
            outfile__dynamic_array_projection_1_delay.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_1_delay." << endl;
    }
    ofstream outfile__dynamic_array_projection_1_N_incoming;
    outfile__dynamic_array_projection_1_N_incoming.open(results_dir + "_dynamic_array_projection_1_N_incoming_1726760", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_1_N_incoming.is_open())
    {
        if (! _dynamic_array_projection_1_N_incoming.empty() )
        {
            outfile__dynamic_array_projection_1_N_incoming.write(reinterpret_cast<char*>(&_dynamic_array_projection_1_N_incoming[0]), _dynamic_array_projection_1_N_incoming.size()*sizeof(_dynamic_array_projection_1_N_incoming[0]));
            outfile__dynamic_array_projection_1_N_incoming.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_1_N_incoming." << endl;
    }
    ofstream outfile__dynamic_array_projection_1_N_outgoing;
    outfile__dynamic_array_projection_1_N_outgoing.open(results_dir + "_dynamic_array_projection_1_N_outgoing_654715378", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_1_N_outgoing.is_open())
    {
        if (! _dynamic_array_projection_1_N_outgoing.empty() )
        {
            outfile__dynamic_array_projection_1_N_outgoing.write(reinterpret_cast<char*>(&_dynamic_array_projection_1_N_outgoing[0]), _dynamic_array_projection_1_N_outgoing.size()*sizeof(_dynamic_array_projection_1_N_outgoing[0]));
            outfile__dynamic_array_projection_1_N_outgoing.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_1_N_outgoing." << endl;
    }
    ofstream outfile__dynamic_array_projection_1_w;
    outfile__dynamic_array_projection_1_w.open(results_dir + "_dynamic_array_projection_1_w_4011431694", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_1_w.is_open())
    {
        if (! _dynamic_array_projection_1_w.empty() )
        {
            outfile__dynamic_array_projection_1_w.write(reinterpret_cast<char*>(&_dynamic_array_projection_1_w[0]), _dynamic_array_projection_1_w.size()*sizeof(_dynamic_array_projection_1_w[0]));
            outfile__dynamic_array_projection_1_w.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_1_w." << endl;
    }
    ofstream outfile__dynamic_array_projection_2__synaptic_post;
    outfile__dynamic_array_projection_2__synaptic_post.open(results_dir + "_dynamic_array_projection_2__synaptic_post_575858086", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_2__synaptic_post.is_open())
    {
        if (! _dynamic_array_projection_2__synaptic_post.empty() )
        {
            outfile__dynamic_array_projection_2__synaptic_post.write(reinterpret_cast<char*>(&_dynamic_array_projection_2__synaptic_post[0]), _dynamic_array_projection_2__synaptic_post.size()*sizeof(_dynamic_array_projection_2__synaptic_post[0]));
            outfile__dynamic_array_projection_2__synaptic_post.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_2__synaptic_post." << endl;
    }
    ofstream outfile__dynamic_array_projection_2__synaptic_pre;
    outfile__dynamic_array_projection_2__synaptic_pre.open(results_dir + "_dynamic_array_projection_2__synaptic_pre_1411495593", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_2__synaptic_pre.is_open())
    {
        if (! _dynamic_array_projection_2__synaptic_pre.empty() )
        {
            outfile__dynamic_array_projection_2__synaptic_pre.write(reinterpret_cast<char*>(&_dynamic_array_projection_2__synaptic_pre[0]), _dynamic_array_projection_2__synaptic_pre.size()*sizeof(_dynamic_array_projection_2__synaptic_pre[0]));
            outfile__dynamic_array_projection_2__synaptic_pre.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_2__synaptic_pre." << endl;
    }
    ofstream outfile__dynamic_array_projection_2_delay;
    outfile__dynamic_array_projection_2_delay.open(results_dir + "_dynamic_array_projection_2_delay_2630877551", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_2_delay.is_open())
    {
        if (! _dynamic_array_projection_2_delay.empty() )
        {
            outfile__dynamic_array_projection_2_delay.write(reinterpret_cast<char*>(&_dynamic_array_projection_2_delay[0]), _dynamic_array_projection_2_delay.size()*sizeof(_dynamic_array_projection_2_delay[0]));
            outfile__dynamic_array_projection_2_delay.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_2_delay." << endl;
    }
    ofstream outfile__dynamic_array_projection_2_N_incoming;
    outfile__dynamic_array_projection_2_N_incoming.open(results_dir + "_dynamic_array_projection_2_N_incoming_2005175256", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_2_N_incoming.is_open())
    {
        if (! _dynamic_array_projection_2_N_incoming.empty() )
        {
            outfile__dynamic_array_projection_2_N_incoming.write(reinterpret_cast<char*>(&_dynamic_array_projection_2_N_incoming[0]), _dynamic_array_projection_2_N_incoming.size()*sizeof(_dynamic_array_projection_2_N_incoming[0]));
            outfile__dynamic_array_projection_2_N_incoming.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_2_N_incoming." << endl;
    }
    ofstream outfile__dynamic_array_projection_2_N_outgoing;
    outfile__dynamic_array_projection_2_N_outgoing.open(results_dir + "_dynamic_array_projection_2_N_outgoing_1352203010", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_2_N_outgoing.is_open())
    {
        if (! _dynamic_array_projection_2_N_outgoing.empty() )
        {
            outfile__dynamic_array_projection_2_N_outgoing.write(reinterpret_cast<char*>(&_dynamic_array_projection_2_N_outgoing[0]), _dynamic_array_projection_2_N_outgoing.size()*sizeof(_dynamic_array_projection_2_N_outgoing[0]));
            outfile__dynamic_array_projection_2_N_outgoing.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_2_N_outgoing." << endl;
    }
    ofstream outfile__dynamic_array_projection_2_w;
    outfile__dynamic_array_projection_2_w.open(results_dir + "_dynamic_array_projection_2_w_3982436695", ios::binary | ios::out);
    if(outfile__dynamic_array_projection_2_w.is_open())
    {
        if (! _dynamic_array_projection_2_w.empty() )
        {
            outfile__dynamic_array_projection_2_w.write(reinterpret_cast<char*>(&_dynamic_array_projection_2_w[0]), _dynamic_array_projection_2_w.size()*sizeof(_dynamic_array_projection_2_w[0]));
            outfile__dynamic_array_projection_2_w.close();
        }
    } else
    {
        std::cout << "Error writing output file for _dynamic_array_projection_2_w." << endl;
    }

    // Write last run info to disk
    ofstream outfile_last_run_info;
    outfile_last_run_info.open(results_dir + "last_run_info.txt", ios::out);
    if(outfile_last_run_info.is_open())
    {
        outfile_last_run_info << (Network::_last_run_time) << " " << (Network::_last_run_completed_fraction) << std::endl;
        outfile_last_run_info.close();
    } else
    {
        std::cout << "Error writing last run info to file." << std::endl;
    }
}

void _dealloc_arrays()
{
    using namespace brian;


    // static arrays
    if(_static_array__array_input_0_column!=0)
    {
        delete [] _static_array__array_input_0_column;
        _static_array__array_input_0_column = 0;
    }
    if(_static_array__array_population_1_a_mem!=0)
    {
        delete [] _static_array__array_population_1_a_mem;
        _static_array__array_population_1_a_mem = 0;
    }
    if(_static_array__array_population_1_a_syn!=0)
    {
        delete [] _static_array__array_population_1_a_syn;
        _static_array__array_population_1_a_syn = 0;
    }
    if(_static_array__array_population_1_bias!=0)
    {
        delete [] _static_array__array_population_1_bias;
        _static_array__array_population_1_bias = 0;
    }
    if(_static_array__array_population_1_leak!=0)
    {
        delete [] _static_array__array_population_1_leak;
        _static_array__array_population_1_leak = 0;
    }
    if(_static_array__array_population_1_r!=0)
    {
        delete [] _static_array__array_population_1_r;
        _static_array__array_population_1_r = 0;
    }
    if(_static_array__array_population_1_v!=0)
    {
        delete [] _static_array__array_population_1_v;
        _static_array__array_population_1_v = 0;
    }
    if(_static_array__array_population_1_v_reset!=0)
    {
        delete [] _static_array__array_population_1_v_reset;
        _static_array__array_population_1_v_reset = 0;
    }
    if(_static_array__array_population_1_v_threshold!=0)
    {
        delete [] _static_array__array_population_1_v_threshold;
        _static_array__array_population_1_v_threshold = 0;
    }
    if(_static_array__array_population_1_w_in!=0)
    {
        delete [] _static_array__array_population_1_w_in;
        _static_array__array_population_1_w_in = 0;
    }
    if(_static_array__array_population_2_a_mem!=0)
    {
        delete [] _static_array__array_population_2_a_mem;
        _static_array__array_population_2_a_mem = 0;
    }
    if(_static_array__array_population_2_a_syn!=0)
    {
        delete [] _static_array__array_population_2_a_syn;
        _static_array__array_population_2_a_syn = 0;
    }
    if(_static_array__array_population_2_bias!=0)
    {
        delete [] _static_array__array_population_2_bias;
        _static_array__array_population_2_bias = 0;
    }
    if(_static_array__array_population_2_leak!=0)
    {
        delete [] _static_array__array_population_2_leak;
        _static_array__array_population_2_leak = 0;
    }
    if(_static_array__array_population_2_r!=0)
    {
        delete [] _static_array__array_population_2_r;
        _static_array__array_population_2_r = 0;
    }
    if(_static_array__array_population_2_v!=0)
    {
        delete [] _static_array__array_population_2_v;
        _static_array__array_population_2_v = 0;
    }
    if(_static_array__array_population_2_v_reset!=0)
    {
        delete [] _static_array__array_population_2_v_reset;
        _static_array__array_population_2_v_reset = 0;
    }
    if(_static_array__array_population_2_v_threshold!=0)
    {
        delete [] _static_array__array_population_2_v_threshold;
        _static_array__array_population_2_v_threshold = 0;
    }
    if(_static_array__array_population_2_w_in!=0)
    {
        delete [] _static_array__array_population_2_w_in;
        _static_array__array_population_2_w_in = 0;
    }
    if(_static_array__array_population_3_a_mem!=0)
    {
        delete [] _static_array__array_population_3_a_mem;
        _static_array__array_population_3_a_mem = 0;
    }
    if(_static_array__array_population_3_a_syn!=0)
    {
        delete [] _static_array__array_population_3_a_syn;
        _static_array__array_population_3_a_syn = 0;
    }
    if(_static_array__array_population_3_bias!=0)
    {
        delete [] _static_array__array_population_3_bias;
        _static_array__array_population_3_bias = 0;
    }
    if(_static_array__array_population_3_leak!=0)
    {
        delete [] _static_array__array_population_3_leak;
        _static_array__array_population_3_leak = 0;
    }
    if(_static_array__array_population_3_r!=0)
    {
        delete [] _static_array__array_population_3_r;
        _static_array__array_population_3_r = 0;
    }
    if(_static_array__array_population_3_v!=0)
    {
        delete [] _static_array__array_population_3_v;
        _static_array__array_population_3_v = 0;
    }
    if(_static_array__array_population_3_v_reset!=0)
    {
        delete [] _static_array__array_population_3_v_reset;
        _static_array__array_population_3_v_reset = 0;
    }
    if(_static_array__array_population_3_v_threshold!=0)
    {
        delete [] _static_array__array_population_3_v_threshold;
        _static_array__array_population_3_v_threshold = 0;
    }
    if(_static_array__array_population_3_w_in!=0)
    {
        delete [] _static_array__array_population_3_w_in;
        _static_array__array_population_3_w_in = 0;
    }
    if(_static_array__array_projection_0_sources!=0)
    {
        delete [] _static_array__array_projection_0_sources;
        _static_array__array_projection_0_sources = 0;
    }
    if(_static_array__array_projection_0_targets!=0)
    {
        delete [] _static_array__array_projection_0_targets;
        _static_array__array_projection_0_targets = 0;
    }
    if(_static_array__array_projection_1_sources!=0)
    {
        delete [] _static_array__array_projection_1_sources;
        _static_array__array_projection_1_sources = 0;
    }
    if(_static_array__array_projection_1_targets!=0)
    {
        delete [] _static_array__array_projection_1_targets;
        _static_array__array_projection_1_targets = 0;
    }
    if(_static_array__array_projection_2_sources!=0)
    {
        delete [] _static_array__array_projection_2_sources;
        _static_array__array_projection_2_sources = 0;
    }
    if(_static_array__array_projection_2_targets!=0)
    {
        delete [] _static_array__array_projection_2_targets;
        _static_array__array_projection_2_targets = 0;
    }
    if(_static_array__dynamic_array_projection_0_w!=0)
    {
        delete [] _static_array__dynamic_array_projection_0_w;
        _static_array__dynamic_array_projection_0_w = 0;
    }
    if(_static_array__dynamic_array_projection_1_w!=0)
    {
        delete [] _static_array__dynamic_array_projection_1_w;
        _static_array__dynamic_array_projection_1_w = 0;
    }
    if(_static_array__dynamic_array_projection_2_w!=0)
    {
        delete [] _static_array__dynamic_array_projection_2_w;
        _static_array__dynamic_array_projection_2_w = 0;
    }
    if(neuro_drive_values!=0)
    {
        delete [] neuro_drive_values;
        neuro_drive_values = 0;
    }
}

