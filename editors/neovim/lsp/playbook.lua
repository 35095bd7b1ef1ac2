-- The `playbook lsp` server for Neovim 0.11 and later. With this folder on the 'runtimepath',
-- `vim.lsp.enable("playbook")` finds this file (lsp/<name>.lua) and starts the server for YAML
-- buffers; the folder holding playbook.toml becomes the workspace folder.
return {
  cmd = { "playbook", "lsp" },
  filetypes = { "yaml" },
  root_markers = { "playbook.toml" },
}
