// The console's services (stores to read, functions to call) reach every component through one
// React context, so panes need no props drilled through the App and tests hand in their own.
import React from 'react';
import type { ConsoleServices } from '../src/console/services.ts';

export const ServicesContext = React.createContext<ConsoleServices | undefined>(undefined);

export function useServices(): ConsoleServices {
  const services = React.useContext(ServicesContext);
  if (services === undefined) throw new Error('useServices: render inside <ServicesContext.Provider> (App does)');
  return services;
}
