#include "cli/serve_command.hpp"

int main(int argc, char **argv) { return ducklake::RunCli(argc, argv); }
