"""The district committee's review cycle: who is due, meetings and their agendas, decisions."""
