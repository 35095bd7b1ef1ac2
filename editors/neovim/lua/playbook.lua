-- Starts `playbook lsp` for YAML buffers, on Neovim 0.7 and later.
--
--   require("playbook").setup()                                  -- `playbook` on the PATH
--   require("playbook").setup({ cmd = { "/path/to/playbook", "lsp" } })
--
-- On 0.11 and later it declares the server with vim.lsp.config and turns it on with
-- vim.lsp.enable. Before that (Debian bookworm ships 0.7.2, which has neither vim.lsp.config,
-- vim.lsp.start nor vim.fs) it starts one client per playbook.toml folder with
-- vim.lsp.start_client from a FileType autocommand and attaches every YAML buffer under that
-- folder. YAML outside a folder with a playbook.toml gets no server on 0.7-0.10.
local M = {}

local function root_of(path)
  local toml = vim.fn.findfile("playbook.toml", vim.fn.fnamemodify(path, ":p:h") .. ";")
  if toml == "" then
    return nil
  end
  return vim.fn.fnamemodify(toml, ":p:h")
end

function M.setup(opts)
  opts = opts or {}
  local cmd = opts.cmd or { "playbook", "lsp" }

  if vim.lsp.config ~= nil and vim.lsp.enable ~= nil then
    vim.lsp.config("playbook", {
      cmd = cmd,
      filetypes = { "yaml" },
      root_markers = { "playbook.toml" },
    })
    vim.lsp.enable("playbook")
    return
  end

  local clients = {} -- root folder -> client id
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "yaml",
    group = vim.api.nvim_create_augroup("playbook_lsp", { clear = true }),
    callback = function(args)
      local path = vim.api.nvim_buf_get_name(args.buf)
      if path == "" then
        return
      end
      local root = root_of(path)
      if root == nil then
        return
      end
      local id = clients[root]
      if id == nil or vim.lsp.get_client_by_id(id) == nil then
        id = vim.lsp.start_client({
          name = "playbook",
          cmd = cmd,
          root_dir = root,
          workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
        })
        clients[root] = id
      end
      if id ~= nil then
        vim.lsp.buf_attach_client(args.buf, id)
      end
    end,
  })
end

return M
