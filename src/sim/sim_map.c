/* String-keyed chained hash map; see sim_map.h. FNV-1a hashing is enough here: the keys come
 * from the simulator's own tests and benchmarks, and every map is capped by its owner. */
#include "sim/sim_map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct sim_map_node {
	struct sim_map_node *next;
	uint64_t hash;
	void *value;
	char key[]; /* NUL-terminated copy */
};

struct sim_map {
	struct sim_map_node **slots; /* owned; nslots heads */
	size_t nslots;               /* power of two */
	size_t count;
	void (*free_value)(void *value);
};

static uint64_t hash_key(const char *key)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return h;
}

struct sim_map *sim_map_new(void (*free_value)(void *value))
{
	struct sim_map *m = xcalloc(1, sizeof(*m));
	m->nslots = 64;
	m->slots = xcalloc(m->nslots, sizeof(*m->slots));
	m->free_value = free_value;
	return m;
}

void sim_map_clear(struct sim_map *m)
{
	for (size_t i = 0; i < m->nslots; i++) {
		struct sim_map_node *n = m->slots[i];
		while (n) {
			struct sim_map_node *next = n->next;
			if (m->free_value)
				m->free_value(n->value);
			free(n);
			n = next;
		}
		m->slots[i] = NULL;
	}
	m->count = 0;
}

void sim_map_free(struct sim_map *m)
{
	if (!m)
		return;
	sim_map_clear(m);
	free(m->slots);
	free(m);
}

static struct sim_map_node **locate(const struct sim_map *m, const char *key, uint64_t h)
{
	struct sim_map_node **pp = &m->slots[h & (m->nslots - 1)];
	while (*pp && ((*pp)->hash != h || strcmp((*pp)->key, key) != 0))
		pp = &(*pp)->next;
	return pp;
}

void *sim_map_find(const struct sim_map *m, const char *key)
{
	struct sim_map_node **pp = locate(m, key, hash_key(key));
	return *pp ? (*pp)->value : NULL;
}

static void grow(struct sim_map *m)
{
	size_t nslots = m->nslots * 2;
	struct sim_map_node **slots = xcalloc(nslots, sizeof(*slots));
	for (size_t i = 0; i < m->nslots; i++) {
		struct sim_map_node *n = m->slots[i];
		while (n) {
			struct sim_map_node *next = n->next;
			size_t at = n->hash & (nslots - 1);
			n->next = slots[at];
			slots[at] = n;
			n = next;
		}
	}
	free(m->slots);
	m->slots = slots;
	m->nslots = nslots;
}

void sim_map_put(struct sim_map *m, const char *key, void *value)
{
	uint64_t h = hash_key(key);
	struct sim_map_node **pp = locate(m, key, h);
	if (*pp) {
		if (m->free_value && (*pp)->value != value)
			m->free_value((*pp)->value);
		(*pp)->value = value;
		return;
	}
	size_t klen = strlen(key);
	struct sim_map_node *n = xmalloc(sizeof(*n) + klen + 1);
	memcpy(n->key, key, klen + 1);
	n->hash = h;
	n->value = value;
	n->next = NULL;
	*pp = n;
	m->count++;
	if (m->count > m->nslots)
		grow(m);
}

bool sim_map_remove(struct sim_map *m, const char *key)
{
	struct sim_map_node **pp = locate(m, key, hash_key(key));
	struct sim_map_node *n = *pp;
	if (!n)
		return false;
	*pp = n->next;
	if (m->free_value)
		m->free_value(n->value);
	free(n);
	m->count--;
	return true;
}

size_t sim_map_count(const struct sim_map *m)
{
	return m->count;
}

void sim_map_each(const struct sim_map *m, void (*fn)(void *arg, const char *key, void *value),
                  void *arg)
{
	for (size_t i = 0; i < m->nslots; i++)
		for (struct sim_map_node *n = m->slots[i]; n; n = n->next)
			fn(arg, n->key, n->value);
}
