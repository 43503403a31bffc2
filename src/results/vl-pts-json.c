/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading one string member of the small JSON objects PTS stores in result entries ("error"). */
#include "config.h"

#include <string.h>

#include "vl-pts-json.h"

/* PTS writes these objects itself (test-run-times, install-footnote, error, compiler options);
 * a full JSON library for one member would be a new dependency. This scanner reads only the
 * top-level object, checks its syntax as it goes and gives up (NULL) on anything malformed. */

typedef struct {
  const char *p;
  const char *end;
  guint       depth;
} Scanner;

#define MAX_DEPTH 64

static void
skip_space (Scanner *s)
{
  while (s->p < s->end && strchr (" \t\r\n", *s->p) != NULL && *s->p != '\0')
    s->p++;
}

static int
hex_value (char c)
{
  return g_ascii_xdigit_value (c);
}

static gboolean
read_hex4 (Scanner *s, gunichar *out)
{
  gunichar value = 0;

  if (s->end - s->p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int digit = hex_value (s->p[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + digit;
    }
  s->p += 4;
  *out = value;
  return TRUE;
}

/* A string, the opening quote under the cursor; its decoded text goes to `out` when not NULL. */
static gboolean
read_string (Scanner *s, GString *out)
{
  if (s->p >= s->end || *s->p != '"')
    return FALSE;
  s->p++;
  while (s->p < s->end)
    {
      char c = *s->p++;

      if (c == '"')
        return TRUE;
      if ((guchar) c < 0x20)
        return FALSE;
      if (c != '\\')
        {
          if (out != NULL)
            g_string_append_c (out, c);
          continue;
        }
      if (s->p >= s->end)
        return FALSE;
      c = *s->p++;
      switch (c)
        {
        case '"': case '\\': case '/':
          if (out != NULL) g_string_append_c (out, c);
          break;
        case 'b': if (out != NULL) g_string_append_c (out, '\b'); break;
        case 'f': if (out != NULL) g_string_append_c (out, '\f'); break;
        case 'n': if (out != NULL) g_string_append_c (out, '\n'); break;
        case 'r': if (out != NULL) g_string_append_c (out, '\r'); break;
        case 't': if (out != NULL) g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar ch, low;

            if (!read_hex4 (s, &ch))
              return FALSE;
            /* A UTF-16 surrogate pair stands for one character beyond the first plane. */
            if (ch >= 0xd800 && ch < 0xdc00)
              {
                if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u')
                  return FALSE;
                s->p += 2;
                if (!read_hex4 (s, &low) || low < 0xdc00 || low > 0xdfff)
                  return FALSE;
                ch = 0x10000 + ((ch - 0xd800) << 10) + (low - 0xdc00);
              }
            else if (ch >= 0xdc00 && ch <= 0xdfff)
              return FALSE;
            if (out != NULL)
              g_string_append_unichar (out, ch);
            break;
          }
        default:
          return FALSE;
        }
    }
  return FALSE;
}

static gboolean skip_value (Scanner *s);

static gboolean
skip_container (Scanner *s, char open, char close)
{
  gboolean first = TRUE;

  if (++s->depth > MAX_DEPTH)
    return FALSE;
  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == close)
    {
      s->p++;
      s->depth--;
      return TRUE;
    }
  while (s->p < s->end)
    {
      if (!first)
        {
          if (*s->p == close)
            {
              s->p++;
              s->depth--;
              return TRUE;
            }
          if (*s->p != ',')
            return FALSE;
          s->p++;
          skip_space (s);
        }
      first = FALSE;
      if (open == '{')
        {
          if (!read_string (s, NULL))
            return FALSE;
          skip_space (s);
          if (s->p >= s->end || *s->p != ':')
            return FALSE;
          s->p++;
          skip_space (s);
        }
      if (!skip_value (s))
        return FALSE;
      skip_space (s);
    }
  return FALSE;
}

/* Numbers and the literals true, false, null: their characters, checked loosely. */
static gboolean
skip_scalar (Scanner *s)
{
  const char *start = s->p;

  while (s->p < s->end && (g_ascii_isalnum (*s->p) || strchr ("+-.", *s->p) != NULL) && *s->p != '\0')
    s->p++;
  return s->p > start;
}

static gboolean
skip_value (Scanner *s)
{
  if (s->p >= s->end)
    return FALSE;
  switch (*s->p)
    {
    case '"': return read_string (s, NULL);
    case '{': return skip_container (s, '{', '}');
    case '[': return skip_container (s, '[', ']');
    default: return skip_scalar (s);
    }
}

char *
vl_pts_json_get_string (const char *json, const char *member)
{
  Scanner s;
  g_autofree char *found = NULL;

  if (json == NULL || member == NULL)
    return NULL;
  s.p = json;
  s.end = json + strlen (json);
  s.depth = 1;
  skip_space (&s);
  if (s.p >= s.end || *s.p != '{')
    return NULL;
  s.p++;
  skip_space (&s);
  if (s.p < s.end && *s.p == '}')
    return NULL;
  while (s.p < s.end)
    {
      g_autoptr(GString) key = g_string_new (NULL);

      if (!read_string (&s, key))
        return NULL;
      skip_space (&s);
      if (s.p >= s.end || *s.p != ':')
        return NULL;
      s.p++;
      skip_space (&s);
      if (g_str_equal (key->str, member) && s.p < s.end && *s.p == '"')
        {
          g_autoptr(GString) value = g_string_new (NULL);

          if (!read_string (&s, value))
            return NULL;
          /* The last one wins, as in PHP's json_decode, which wrote it. */
          g_free (found);
          found = g_string_free (g_steal_pointer (&value), FALSE);
        }
      else if (!skip_value (&s))
        return NULL;
      skip_space (&s);
      if (s.p < s.end && *s.p == '}')
        {
          if (found == NULL || !g_utf8_validate (found, -1, NULL))
            return NULL;
          return g_steal_pointer (&found);
        }
      if (s.p >= s.end || *s.p != ',')
        return NULL;
      s.p++;
      skip_space (&s);
    }
  return NULL;
}
