"""The district's indicators for the committee (issue 15): figures over a period, each beside
the previous period of the same length. It reads every domain's data, so it sits on top."""
