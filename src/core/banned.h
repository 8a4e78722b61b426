/* Force-included into every library translation unit (see CMakeLists.txt): turns the
 * functions house-style.md bans into compile errors. System headers come first so their
 * own declarations are not rewritten. */
#ifndef PIXELS_CORE_BANNED_H
#define PIXELS_CORE_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PIXELS_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(...) PIXELS_BANNED(strcpy)
#undef strcat
#define strcat(...) PIXELS_BANNED(strcat)
#undef strncpy
#define strncpy(...) PIXELS_BANNED(strncpy)
#undef sprintf
#define sprintf(...) PIXELS_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) PIXELS_BANNED(vsprintf)
#undef strtok
#define strtok(...) PIXELS_BANNED(strtok)
#undef gets
#define gets(...) PIXELS_BANNED(gets)
#undef atoi
#define atoi(...) PIXELS_BANNED(atoi)
#undef atol
#define atol(...) PIXELS_BANNED(atol)
#undef gmtime
#define gmtime(...) PIXELS_BANNED(gmtime)
#undef localtime
#define localtime(...) PIXELS_BANNED(localtime)

#endif
