/* A small string-keyed hash map for the simulator's registries (numbers, windows, rules,
 * tokens, media). Not thread-safe: the simulator guards every map with its state lock. Keys are
 * copied; values are opaque pointers whose ownership stays with the caller unless a free
 * function is given, in which case the map frees replaced and removed values with it. */
#ifndef PIXELS_SIM_SIM_MAP_H
#define PIXELS_SIM_SIM_MAP_H

#include <stdbool.h>
#include <stddef.h>

struct sim_map;

/* Creates an empty map (never NULL). free_value may be NULL (values are not freed). */
struct sim_map *sim_map_new(void (*free_value)(void *value));
/* Frees the map, its keys and (with free_value) its values. NULL-safe. */
void sim_map_free(struct sim_map *m);
/* Value for key, or NULL when absent. Borrowed: valid until the key is replaced or removed. */
void *sim_map_find(const struct sim_map *m, const char *key);
/* Inserts or replaces the value for key (a replaced value is freed with free_value). */
void sim_map_put(struct sim_map *m, const char *key, void *value);
/* Removes key; true if it was present. The value is freed with free_value. */
bool sim_map_remove(struct sim_map *m, const char *key);
/* Removes every key. */
void sim_map_clear(struct sim_map *m);
size_t sim_map_count(const struct sim_map *m);
/* Calls fn for every entry in unspecified order; fn must not modify the map. */
void sim_map_each(const struct sim_map *m, void (*fn)(void *arg, const char *key, void *value),
                  void *arg);

#endif
