/* bh-cli-commands.c
 *
 * Copyright 2026 The Birdhouse authors
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 *
 * You should have received a copy of the GNU General Public License
 * along with this program.  If not, see <https://www.gnu.org/licenses/>.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bh-cli.h"
#include "bh-cli-private.h"

/* birdhouse-cli: every subcommand, run in this process. `birdhouse`
 * hands it whatever it does not run itself (bh-cli-lean.c). */

typedef struct
{
  const char       *name;
  BhCliCommandFunc  func;
} Command;

static const Command commands[] = {
  { "app", _bh_cli_app },
  { "authorize", _bh_cli_authorize },
  { "token", _bh_cli_token },
  { "account", _bh_cli_account },
  { "bearer", _bh_cli_bearer },
  { "rotate", _bh_cli_rotate },
  { "export", _bh_cli_export },
  { "exec", _bh_cli_exec },
  { "import", _bh_cli_import },
  { "sign", _bh_cli_sign },
  { "request", _bh_cli_request },
  { "check", _bh_cli_check },
};

static BhCliCommandFunc
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      return commands[i].func;

  g_return_val_if_reached (NULL);
}

int
bh_cli_main (int    argc,
             char **argv)
{
  return _bh_cli_main (argc, argv, find_command);
}
